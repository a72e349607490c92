/**
 * What one cycle's measurements give: the kidney TIA and absorbed dose (S scaled to the kidney mass),
 * liver, spleen and lesion doses by local electron deposition when a mass is known, the whole-body TIA,
 * and the blood TIA per mL for the marrow. Cycles without kidney rows are estimated later, from the
 * patient's measured cycles (kidney-budget.ts).
 */
import type { Reason } from '../clinical/explain.js';
import type { Cycle, DosimetryMeasurement } from '../clinical/model.js';
import { absorbedDoseGy, electronSelfS, kidneySValue } from './absorbed-dose.js';
import type { DosimetryProtocol } from './dosimetry-protocol.js';
import { cycleSeries } from './measurement-points.js';
import { regionTia, type RegionTia, type TiaMethod } from './region-tia.js';

export interface MeasuredKidneys {
  readonly tia: RegionTia;
  readonly massG: number | null;
  /** mGy/(MBq·s), after mass scaling. */
  readonly sValue: number;
  readonly doseGy: number;
  readonly points: number;
  /** The measurement time of a single-point estimate, h; null with several points. */
  readonly singlePointTimeH: number | null;
  readonly because: readonly Reason[];
}

export interface OrganResult {
  /** `liver`, `spleen`, `whole_body` or `tumour:<lesion_id>`. */
  readonly region: string;
  readonly tia: RegionTia;
  readonly massG: number | null;
  /** Self-dose by local electron deposition; null without a mass (and always for the whole body). */
  readonly doseGy: number | null;
  readonly because: readonly Reason[];
}

export interface MeasuredBlood {
  /** MBq·h per mL. */
  readonly tia: RegionTia;
  readonly hematocrit: number | null;
}

export interface MeasuredCycle {
  readonly cycle: Cycle;
  readonly kidneys: MeasuredKidneys | null;
  readonly organs: readonly OrganResult[];
  readonly blood: MeasuredBlood | null;
}

export function measureCycle(
  cycle: Cycle,
  rows: readonly DosimetryMeasurement[],
  method: TiaMethod,
  protocol: DosimetryProtocol,
): MeasuredCycle {
  const series = cycleSeries(rows, cycle);
  let kidneys: MeasuredKidneys | null = null;
  let blood: MeasuredBlood | null = null;
  const organs: OrganResult[] = [];
  for (const s of series) {
    if (s.points.length === 0) continue;
    const tia = regionTia(s.points, method, protocol);
    const notes: Reason[] = [];
    if (s.bothGiven > 0) {
      notes.push({
        rule: `${s.bothGiven} row(s) give both activity_mbq and percent_ia: the measured activity_mbq is used`,
        observed: null,
        threshold: null,
        source: 'exchange format v1, dosimetry.csv',
      });
    }
    if (s.region === 'kidneys') {
      const sv = kidneySValue(protocol, s.massG);
      const doseGy = absorbedDoseGy(tia.tia, sv.valueMGyPerMBqS);
      kidneys = {
        tia,
        massG: s.massG,
        sValue: sv.valueMGyPerMBqS,
        doseGy,
        points: s.points.length,
        singlePointTimeH: s.points.length === 1 ? s.points[0]!.tH : null,
        because: [
          ...notes,
          ...tia.because,
          {
            rule:
              `D = TIA × 3600 × S / 1000 = ${tia.tia.toFixed(2)} MBq·h × 3600 × ${sv.valueMGyPerMBqS.toPrecision(6)} ` +
              `mGy/(MBq·s) / 1000 = ${doseGy.toFixed(4)} Gy` +
              (s.massG === null ? ' (no kidney mass given: S not scaled)' : ''),
            observed: { value: doseGy, unit: 'Gy' },
            threshold: null,
            source: `${protocol.name}/kidneys.sValueMGyPerMBqS: ${sv.source}; licence ${sv.licence}`,
          },
        ],
      };
    } else if (s.region === 'blood') {
      blood = { tia, hematocrit: s.hematocrit };
    } else {
      const sv = s.region !== 'whole_body' && s.massG !== null ? electronSelfS(s.massG, protocol) : null;
      const doseGy = sv === null ? null : absorbedDoseGy(tia.tia, sv.valueMGyPerMBqS);
      organs.push({
        region: s.region,
        tia,
        massG: s.massG,
        doseGy,
        because: [
          ...notes,
          ...tia.because,
          sv === null
            ? {
                rule:
                  s.region === 'whole_body'
                    ? 'whole-body TIA only: no absorbed dose is computed for the whole body'
                    : 'no mass given: no absorbed dose',
                observed: null,
                threshold: null,
                source: protocol.name,
              }
            : {
                rule: `self-dose by local electron deposition (sphere model for lesions): D = TIA·E_e/m = ${doseGy!.toFixed(4)} Gy`,
                observed: { value: doseGy!, unit: 'Gy' },
                threshold: null,
                source: `${protocol.name}/lu177.electronEnergyMeV: ${sv.source}`,
              },
        ],
      });
    }
  }
  return { cycle, kidneys, organs, blood };
}
