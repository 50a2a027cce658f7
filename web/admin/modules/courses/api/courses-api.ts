import type { CourseInputRaw, CourseReport, CourseView } from '@contracts/courses';
import { api } from '../../../api-client';

export type { CourseInputRaw, CourseReport, CourseView };

export const fetchCourses = () => api.request<CourseView[]>('/courses', { query: { limit: 200 } });
export const createCourse = (body: CourseInputRaw) => api.request<CourseView>('/courses', { method: 'POST', body });
export const setCourseStatus = (id: string, status: CourseView['status']) => api.request<CourseView>(`/courses/${encodeURIComponent(id)}`, { method: 'PATCH', body: { status } });
export const fetchCourseReport = (id: string, by: 'account' | 'role') => api.request<CourseReport>(`/courses/${encodeURIComponent(id)}/report`, { query: { by } });
export const uploadCourseFile = (file: File) =>
  api.request<{ fileId: string; contentType: string }>('/courses/files', { method: 'POST', query: { fileName: file.name }, file: { data: file, contentType: file.type || 'application/octet-stream' } });
