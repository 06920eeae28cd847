-- 0012_board_bands, undone: 0010's functions back.
DROP FUNCTION gamify_rebuild();
ALTER FUNCTION gamify_rebuild_totals() RENAME TO gamify_rebuild;
DROP FUNCTION board_bands_check();
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
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION board_exam(p_code text) RETURNS uuid
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_code IS NULL THEN board_any_exam()
		ELSE (SELECT id FROM exams WHERE code = p_code) END
$$;

DROP TABLE board_bands;
DROP FUNCTION board_band_end(text, integer);
DROP FUNCTION board_band(text, numeric);
