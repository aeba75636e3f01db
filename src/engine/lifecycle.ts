/** The lifecycle family of the engine (issue 3). */
import type { Engine } from './engine.js';

/** Lifecycle state and DDI outcomes of one engine. */
export class Lifecycle {
  constructor(readonly engine: Engine) {}
}
