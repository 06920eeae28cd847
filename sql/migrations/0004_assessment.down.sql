-- Reverts 0004_assessment.
DROP TABLE attempt_answers;
DROP TABLE attempts;
DROP TABLE assessment_questions;
DROP TABLE assessments;
DROP FUNCTION assessments_before_update();
DROP FUNCTION question_flags(bigint, numeric, double precision, text[]);
DROP FUNCTION question_json(questions);
DROP TABLE questions;
DROP FUNCTION questions_before_write();
