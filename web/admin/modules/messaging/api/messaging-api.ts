import type { CampaignInput, CampaignReach, CampaignView, ChannelInput, ChannelView, MessageView, ReachCounts, TemplateView } from '@contracts/messaging';
import { api } from '../../../api-client';

export type { CampaignInput, CampaignView, ChannelInput, ChannelView, MessageView, TemplateView };
export type DevMail = { id: string; messageId: string; from: string; to: string; subject: string; html: string; text: string; createdAt: string };
export type Preview = { locale: string; subject: string | null; text: string; html: string | null };
export type CampaignPreview = { recipients: number; byChannel: Record<string, number>; excluded: { noConsent: number; noAddress: number; optedOut: number; capped: number } };
export type Reach = CampaignReach;
export type { ReachCounts };

const enc = encodeURIComponent;
export const fetchChannels = () => api.request<{ items: ChannelView[] }>('/channels').then((r) => r.items);
export const createChannel = (body: ChannelInput) => api.request<ChannelView & { signingSecret?: string; vapidPublicKey?: string }>('/channels', { method: 'POST', body });
export const setChannelActive = (id: string, active: boolean) => api.request<ChannelView>(`/channels/${enc(id)}`, { method: 'PATCH', body: { active } });
export const fetchTemplates = (key?: string) => api.request<{ items: TemplateView[] }>('/templates', { query: { limit: 500, ...(key ? { key } : {}) } }).then((r) => r.items);
export const saveTemplate = (t: { key: string; channel: string; locale: string; subject?: string; body: string }) =>
  api.request<TemplateView>(`/templates/${enc(t.key)}/${enc(t.channel)}/${enc(t.locale)}`, { method: 'PUT', body: { body: t.body, ...(t.subject ? { subject: t.subject } : {}) } });
export const previewTemplate = (t: { key: string; channel: string; locale: string; subject?: string; body: string }) =>
  api.request<Preview>('/templates/preview', { method: 'POST', body: { key: t.key, channel: t.channel, locale: t.locale, body: t.body, ...(t.subject ? { subject: t.subject } : {}) } });
export const fetchDevMail = () => api.request<{ items: DevMail[] }>('/messaging/dev-mailbox', { query: { limit: 50 } }).then((r) => r.items);
export const fetchMemberMessages = (member: string) => api.request<{ items: MessageView[] }>(`/members/${enc(member)}/messages`, { query: { limit: 50 } }).then((r) => r.items);
export const fetchMessage = (id: string) => api.request<MessageView>(`/messages/${enc(id)}`);
export const fetchCampaigns = () => api.request<{ items: CampaignView[] }>('/campaigns', { query: { limit: 100 } }).then((r) => r.items);
export const createCampaign = (body: CampaignInput) => api.request<CampaignView>('/campaigns', { method: 'POST', body });
export const previewCampaign = (id: string) => api.request<CampaignPreview>(`/campaigns/${enc(id)}/preview`, { method: 'POST', body: {} });
export const sendCampaign = (id: string) => api.request<CampaignView>(`/campaigns/${enc(id)}/send`, { method: 'POST', body: {} });
export const cancelCampaign = (id: string) => api.request<CampaignView>(`/campaigns/${enc(id)}/cancel`, { method: 'POST', body: {} });
export const fetchReach = (id: string) => api.request<Reach>(`/campaigns/${enc(id)}/reach`);
export const fetchReachCsv = (id: string) => api.request<Blob>(`/campaigns/${enc(id)}/reach`, { query: { format: 'csv' }, as: 'blob' });
/** Offers a campaign can announce: the program's rules and rewards, by id and name. */
export const fetchOfferChoices = async () => {
  const [rules, rewards] = await Promise.all([
    api.request<{ items: { id: string; name: string }[] }>('/rules', { query: { limit: 500 } }),
    api.request<{ items: { id: string; name: string }[] }>('/rewards', { query: { limit: 500 } }),
  ]);
  return { rules: rules.items, rewards: rewards.items };
};
