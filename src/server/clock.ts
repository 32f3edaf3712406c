/** All time comes from one Clock, so a test clock can move every decision at once. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
