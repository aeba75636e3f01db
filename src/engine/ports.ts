/** The ports family of the engine (issue 4). */
import type { Engine } from './engine.js';

/** Ports state and DDI outcomes of one engine. */
export class Ports {
  constructor(readonly engine: Engine) {}
}
