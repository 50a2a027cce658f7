import { useTranslation } from 'react-i18next';
import { Link } from '../../../router';
import { useResource } from '../../../use-resource';
import { fetchMyCourses } from '../api/courses-api';

/** On the home screen: my courses, with the open required ones counted. */
export function CoursesLink() {
  const { t } = useTranslation();
  const list = useResource(() => fetchMyCourses().catch(() => []));
  const items = list.data ?? [];
  if (!items.length) return null;
  const open = items.filter((c) => !c.completedAt).length;
  return (
    <section className="card">
      <Link to="/courses" data-testid="courses-link">
        {t('courses.open')} ({open}/{items.length})
      </Link>
    </section>
  );
}
