/** Who made a change: an API key, a console user, or the system itself (jobs, CLI, demo loader). */
export type Actor = { type: 'key' | 'user' | 'system'; id: string };

/** What every service call acting for a program carries: the tenant and the actor. */
export type RequestContext = {
  programId: string;
  actor: Actor;
  requestId?: string;
};
