-- 0012_board_bands: a leaderboard's histogram in bands, so that my rank
-- reads a few rows however many distinct values a board has.
--
-- With board_counts alone (0010), my rank summed every distinct value
-- above mine: 2,242 rows for a low all-time XP on the bench's board, and
-- more as the values spread.  board_bands holds the same counts summed by
-- band: for XP the integer square root of the value (band b holds b^2 to
-- (b+1)^2 - 1), for a score its whole percent.  My rank is then 1 + the
-- bands above mine + the values above mine within my band: on the bench's
-- boards at most 82 bands and 121 values, and a board whose values spread
-- 100 times wider has 10 times the bands.  The entries are the sum of the
-- bands.
--
-- The bands move with the values, at commit, in the statement after the
-- values' (board_totals_count): a move within a band changes no band.
-- gamify_rebuild() rebuilds them from the values, and board_bands_check()
-- lists where they disagree (tests/sql/0012_board_bands.sql).
--
-- board_exam() becomes plpgsql: as a SQL function that cannot be inlined
-- it was parsed and planned again in every query that called it.

CREATE FUNCTION board_band(p_metric text, p_value numeric) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN p_metric <> 'xp' THEN floor(p_value)::integer
		WHEN p_value <= 0 THEN 0
		ELSE floor(sqrt(p_value))::integer END
$$;
-- The first value past a band.
CREATE FUNCTION board_band_end(p_metric text, p_band integer) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN p_metric = 'xp'
		THEN (p_band + 1)::numeric * (p_band + 1)
		ELSE (p_band + 1)::numeric END
$$;

CREATE TABLE board_bands (
	org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	metric text NOT NULL,
	exam_id uuid NOT NULL,
	week date NOT NULL,
	band integer NOT NULL,
	-- no CHECK (n >= 0), as in board_counts (0010)
	n integer NOT NULL,
	PRIMARY KEY (org_id, metric, exam_id, week, band)
) WITH (fillfactor = 50);

INSERT INTO board_bands (org_id, metric, exam_id, week, band, n)
SELECT org_id, metric, exam_id, week, board_band(metric, value),
	sum(n)::integer
FROM board_counts
GROUP BY 1, 2, 3, 4, 5;

-- 0010's, with the bands moved after the values.
CREATE OR REPLACE FUNCTION board_totals_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	b board_totals;
	want numeric;
BEGIN
	SELECT * INTO b FROM board_totals t WHERE t.user_id = NEW.user_id
		AND t.metric = NEW.metric AND t.exam_id = NEW.exam_id
		AND t.week = NEW.week;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	want := board_counted(b);
	IF b.counted IS NOT DISTINCT FROM want THEN
		RETURN NULL;
	END IF;
	INSERT INTO board_counts AS c (org_id, metric, exam_id, week, value, n)
	SELECT b.org_id, b.metric, b.exam_id, b.week, v.value, sum(v.d)
	FROM (VALUES (b.counted, -1), (want, 1)) v (value, d)
	WHERE v.value IS NOT NULL
	GROUP BY v.value
	ORDER BY v.value
	ON CONFLICT (org_id, metric, exam_id, week, value)
		DO UPDATE SET n = c.n + EXCLUDED.n;
	INSERT INTO board_bands AS c (org_id, metric, exam_id, week, band, n)
	SELECT b.org_id, b.metric, b.exam_id, b.week, v.band, sum(v.d)
	FROM (VALUES (board_band(b.metric, b.counted), -1),
		(board_band(b.metric, want), 1)) v (band, d)
	WHERE v.band IS NOT NULL
	GROUP BY v.band
	HAVING sum(v.d) <> 0
	ORDER BY v.band
	ON CONFLICT (org_id, metric, exam_id, week, band)
		DO UPDATE SET n = c.n + EXCLUDED.n;
	UPDATE board_totals t SET counted = want
	WHERE t.user_id = b.user_id AND t.metric = b.metric
		AND t.exam_id = b.exam_id AND t.week = b.week;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION board_totals_uncount() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE board_counts c SET n = c.n - 1
	WHERE c.org_id = OLD.org_id AND c.metric = OLD.metric
		AND c.exam_id = OLD.exam_id AND c.week = OLD.week
		AND c.value = OLD.counted;
	UPDATE board_bands c SET n = c.n - 1
	WHERE c.org_id = OLD.org_id AND c.metric = OLD.metric
		AND c.exam_id = OLD.exam_id AND c.week = OLD.week
		AND c.band = board_band(OLD.metric, OLD.counted);
	RETURN NULL;
END
$$;

-- Where the bands disagree with the values' counts (none, when all is
-- well).
CREATE FUNCTION board_bands_check()
RETURNS TABLE (org_id uuid, metric text, exam_id uuid, week date,
	band integer, counted bigint, banded bigint)
LANGUAGE sql STABLE AS $$
	SELECT coalesce(c.org_id, b.org_id), coalesce(c.metric, b.metric),
		coalesce(c.exam_id, b.exam_id), coalesce(c.week, b.week),
		coalesce(c.band, b.band), coalesce(c.n, 0), coalesce(b.n, 0)
	FROM (SELECT v.org_id, v.metric, v.exam_id, v.week,
			board_band(v.metric, v.value) AS band, sum(v.n) AS n
		FROM board_counts v
		GROUP BY 1, 2, 3, 4, 5 HAVING sum(v.n) <> 0) c
	FULL JOIN (SELECT * FROM board_bands WHERE n <> 0) b
		ON (b.org_id, b.metric, b.exam_id, b.week, b.band)
			= (c.org_id, c.metric, c.exam_id, c.week, c.band)
	WHERE coalesce(c.n, 0) <> coalesce(b.n, 0)
$$;

-- 0010's rebuild does the totals and the values; the bands follow from
-- the values.
ALTER FUNCTION gamify_rebuild() RENAME TO gamify_rebuild_totals;
CREATE FUNCTION gamify_rebuild() RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	changed jsonb;
	bands bigint;
BEGIN
	LOCK TABLE board_totals, board_counts, board_bands, learner_stats,
		learner_domain_stats IN EXCLUSIVE MODE;
	changed := gamify_rebuild_totals();
	CREATE TEMP TABLE gamify_bands ON COMMIT DROP AS
	SELECT * FROM board_bands WHERE n <> 0;
	DELETE FROM board_bands;
	INSERT INTO board_bands (org_id, metric, exam_id, week, band, n)
	SELECT org_id, metric, exam_id, week, board_band(metric, value),
		sum(n)::integer
	FROM board_counts
	GROUP BY 1, 2, 3, 4, 5
	HAVING sum(n) <> 0
	ORDER BY 1, 2, 3, 4, 5;
	SELECT count(*) INTO bands FROM (
		(SELECT * FROM gamify_bands EXCEPT SELECT * FROM board_bands)
		UNION ALL
		(SELECT * FROM board_bands EXCEPT SELECT * FROM gamify_bands)) x;
	DROP TABLE gamify_bands;
	RETURN changed || jsonb_build_object('board_bands', bands);
END
$$;

CREATE OR REPLACE FUNCTION board_exam(p_code text) RETURNS uuid
LANGUAGE plpgsql STABLE AS $$
DECLARE
	e uuid;
BEGIN
	IF p_code IS NULL THEN
		RETURN board_any_exam();
	END IF;
	SELECT id INTO e FROM exams WHERE code = p_code;
	RETURN e;
END
$$;
