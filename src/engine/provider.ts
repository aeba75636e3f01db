/** The provider family of the engine (issue 4). */
import type { Engine } from './engine.js';

/** Provider state and DDI outcomes of one engine. */
export class Provider {
  constructor(readonly engine: Engine) {}
}
