import type { PortalSpiff } from '@contracts/spiffs';
import { api } from '../../../api-client';

export type { PortalSpiff };

/** The promotions running for me; an empty list on a server without SPIFFs. */
export const fetchSpiffs = () => api.request<PortalSpiff[]>('/portal/spiffs').catch(() => [] as PortalSpiff[]);
