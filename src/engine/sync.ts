/** The sync family of the engine (issue 3). */
import type { Engine } from './engine.js';

/** Sync state and DDI outcomes of one engine. */
export class Sync {
  constructor(readonly engine: Engine) {}
}
