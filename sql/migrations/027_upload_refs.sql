-- Whether anything refers to an upload: a course cover, lesson media, a
-- course material, a micro-lesson waiting for review.  The one definition
-- the orphan clean-up job (media_orphans_delete) and a replaced or removed
-- course cover (teach_course_cover_release) share, so a new kind of
-- reference is added in one place.
CREATE FUNCTION upload_referenced(bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM courses c WHERE c.cover_upload_id = $1)
	    OR EXISTS (SELECT 1 FROM lesson_media lm WHERE lm.upload_id = $1)
	    OR EXISTS (SELECT 1 FROM course_materials cm
	               WHERE cm.upload_id = $1)
	    OR EXISTS (SELECT 1 FROM generated_items g
	               WHERE g.status = 'pending' AND g.uploads @> ARRAY[$1])
$$;
