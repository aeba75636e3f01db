/** OID requests to miniport adapters (issue 4: the context NdisMNetPnPEventInOIDRequest needs). */
import type { Engine } from './engine.js';

/** Outstanding OID requests of one engine. */
export class OidRequests {
  constructor(readonly engine: Engine) {}
}
