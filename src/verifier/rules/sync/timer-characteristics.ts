/**
 * NdisAllocateTimerObject_Characteristics: NDIS_TIMER_CHARACTERISTICS has Header Type
 * NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS, Revision 1, Size >= NDIS_SIZEOF_..._REVISION_1 (D17), a
 * TimerFunction and an AllocationTag ("you must provide this tag"). A malformed structure makes the
 * call return NDIS_STATUS_BAD_CHARACTERISTICS; a zero tag is recorded and the timer still allocated.
 * A malformed header maps to 0x7C / 0x21 NDIS_BUGCHECK_INVALID_OBJECT_HEADER (D17, D39).
 */
import { DDI, type RuleDef, rule } from '../../rule.js';
import { describeArg, describeCharacteristics } from './args.js';

export const NdisAllocateTimerObject_Characteristics: RuleDef = rule({
  id: 'NdisAllocateTimerObject_Characteristics',
  title:
    'NDIS_TIMER_CHARACTERISTICS has a valid header (Type 0x97, Revision 1, Size >= 24), a TimerFunction and a nonzero AllocationTag.',
  link: `${DDI}ndis/ns-ndis-_ndis_timer_characteristics`,
  severity: 'error',
  observe: {
    timerCharacteristics(v, e) {
      const effect = e.fails ? 'it returns NDIS_STATUS_BAD_CHARACTERISTICS' : 'the timer is still allocated';
      v.report(NdisAllocateTimerObject_Characteristics, `NdisAllocateTimerObject: ${e.problem}; ${effect}.`, {
        ddi: e.ddi,
        args: {
          NdisHandle: describeArg(e.NdisHandle),
          TimerCharacteristics: describeCharacteristics(e.TimerCharacteristics),
        },
        owner: e.owner,
        bugCheck: e.header ? { code: 0x7c, p1: 0x21, name: 'BUGCODE_NDIS_DRIVER' } : undefined,
      });
    },
  },
});
