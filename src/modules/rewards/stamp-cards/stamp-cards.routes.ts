import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { code, problem } from '../../../contracts/common.js';
import { stampCardInput, stampCardView } from '../../../contracts/rewards.js';
import type { StampCardsService } from './stamp-cards.service.js';

const params = z.object({ currency: code }).strict();

export function stampCardRoutes(cards: StampCardsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/currencies/:currency/stamp-card',
      { schema: { tags: ['rewards'], summary: 'Define the stamp card of a stamps currency: a full card becomes a redemption of the reward', params, body: stampCardInput, response: { 200: stampCardView, 404: problem, 422: problem } } },
      async (req) => cards.setCard(req.ctx, req.params.currency, req.body),
    );
    app.get('/currencies/:currency/stamp-card', { schema: { tags: ['rewards'], summary: "A stamps currency's card", params, response: { 200: stampCardView, 404: problem } } }, async (req) =>
      cards.getCard(req.ctx.programId, req.params.currency),
    );
    app.delete('/currencies/:currency/stamp-card', { schema: { tags: ['rewards'], summary: 'Remove the stamp card (stamps stay in the wallets)', params, response: { 200: stampCardView, 404: problem } } }, async (req) =>
      cards.deleteCard(req.ctx, req.params.currency),
    );
  };
}
