import type { AttemptResult, MemberCourseItem, MemberCourseView } from '@contracts/courses';
import { api } from '../../../api-client';

export type { AttemptResult, MemberCourseItem, MemberCourseView };

export const fetchMyCourses = () => api.request<MemberCourseItem[]>('/portal/courses');
export const fetchMyCourse = (id: string) => api.request<MemberCourseView>(`/portal/courses/${encodeURIComponent(id)}`);
export const markLessonDone = (id: string, lessonId: string) => api.request<MemberCourseView>(`/portal/courses/${encodeURIComponent(id)}/lessons/${encodeURIComponent(lessonId)}/done`, { method: 'POST' });
export const submitAttempt = (id: string, answers: { questionId: string; selected: number[] }[]) => api.request<AttemptResult>(`/portal/courses/${encodeURIComponent(id)}/attempts`, { method: 'POST', body: { answers } });
export const fileUrl = (id: string, fileId: string) => `/api/v1/portal/courses/${encodeURIComponent(id)}/files/${encodeURIComponent(fileId)}`;
export const certificateUrl = (id: string) => `/api/v1/portal/courses/${encodeURIComponent(id)}/certificate`;
export const verifyUrl = (token: string) => `/api/v1/certificates/${encodeURIComponent(token)}`;
