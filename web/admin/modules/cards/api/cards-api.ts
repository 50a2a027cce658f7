import type { AppleIssuerView, CardDesignInput, CardDesignView, GoogleIssuerView } from '@contracts/cards';
import { api } from '../../../api-client';

export type DesignItem = CardDesignView & { issued: number; installed: number; lastUpdateAt: string | null };
export type { AppleIssuerView, CardDesignInput, GoogleIssuerView };

export const fetchDesigns = () => api.request<{ items: DesignItem[] }>('/card-designs').then((r) => r.items);
export const createDesign = (body: CardDesignInput) => api.request<CardDesignView>('/card-designs', { method: 'POST', body });
export const fetchApple = () => api.request<AppleIssuerView>('/card-issuers/apple');
export const fetchGoogle = () => api.request<GoogleIssuerView>('/card-issuers/google');
