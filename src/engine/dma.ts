/** The dma family of the engine (issue 3). */
import type { Engine } from './engine.js';

/** Dma state and DDI outcomes of one engine. */
export class Dma {
  constructor(readonly engine: Engine) {}
}
