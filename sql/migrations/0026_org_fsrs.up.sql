-- 0026_org_fsrs: FSRS-6 parameters fitted to a whole organization's review
-- log (the job flashcards.optimize_org, src/flashcards/jobs.c).
--
-- A learner without parameters of their own (flashcard_settings.params) is
-- scheduled with their organization's, when it has some, else with
-- FSRS-6's defaults.  Stored as 0021 stores a learner's: the 21 numbers,
-- the fit's log loss on the reviews it used with the defaults and with
-- the fitted parameters, and how many reviews it scored.  No row: the
-- defaults.
CREATE TABLE flashcard_org_params (
	org_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
	params double precision[] NOT NULL CHECK (cardinality(params) = 21),
	loss_before double precision NOT NULL,
	loss_after double precision NOT NULL,
	reviews integer NOT NULL CHECK (reviews >= 0),
	fitted_at timestamptz NOT NULL DEFAULT now(),
	-- the admin who asked for the fit (null once they are gone)
	fitted_by uuid,
	FOREIGN KEY (fitted_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (fitted_by)
);
CREATE INDEX flashcard_org_params_fitted_by_idx
	ON flashcard_org_params (fitted_by, org_id);
SELECT ludus_isolate('flashcard_org_params');
