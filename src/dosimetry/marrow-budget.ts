/**
 * The red-marrow budget of a patient, when the site supplies a marrow self-dose S value: the blood-based
 * self-dose of every cycle with blood samples; cycles without blood samples estimated by the patient's
 * mean marrow dose per GBq over the sampled cycles; the cumulative dose against the marrow limit, and the
 * largest next activity under it. Without an S value or without any blood sample the marrow dose is
 * unknown (null), never guessed.
 */
import { decide, type Decision, type Reason } from '../clinical/explain.js';
import type { Patient } from '../clinical/model.js';
import type { SValue } from './absorbed-dose.js';
import type { MeasuredCycle } from './cycle-measured.js';
import type { DosimetryProtocol } from './dosimetry-protocol.js';
import { marrowBloodRatio, marrowSelfDose, type MarrowRatioMethod } from './red-marrow.js';

export interface MarrowOptions {
  /** The marrow self-dose S(RM←RM) of a table the site is licensed to use. */
  readonly sSelf: SValue;
  /** Marrow mass, g; default the protocol's reference mass by sex (male for `U`). */
  readonly massG?: number;
  /** Default `rmblr`. */
  readonly ratio?: MarrowRatioMethod;
}

export interface MarrowCycle {
  /** ∫ C_blood dt, MBq·h/mL; null when estimated. */
  readonly bloodTiaMBqHPerMl: number | null;
  readonly doseGy: number;
  readonly estimated: boolean;
  readonly singlePoint: boolean;
  readonly relativeUncertainty: number;
  readonly doseUpperGy: number;
  readonly because: readonly Reason[];
}

export interface MarrowBudget {
  /** One per cycle, in the order given. */
  readonly cycles: readonly MarrowCycle[];
  readonly meanDosePerGbq: number;
  readonly cumulativeDoseGy: number;
  readonly cumulativeUpperDoseGy: number;
  readonly limitGy: number;
  readonly remainingGy: number;
  readonly maxNextActivityGbq: Decision<number>;
  readonly maxNextActivityGbqConservative: number;
}

/** Null when no cycle has blood samples. */
export function marrowBudget(
  patient: Patient,
  measured: readonly MeasuredCycle[],
  options: MarrowOptions,
  protocol: DosimetryProtocol,
): MarrowBudget | null {
  const sampled = measured.filter((m) => m.blood !== null);
  if (sampled.length === 0) return null;
  const massG =
    options.massG ??
    (patient.sex === 'F' ? protocol.marrow.referenceMassFemaleG : protocol.marrow.referenceMassMaleG);
  const unc = protocol.uncertainty;
  const measuredCycles = new Map<MeasuredCycle, MarrowCycle>();
  for (const m of sampled) {
    const blood = m.blood!;
    const wanted = options.ratio ?? 'rmblr';
    const method = wanted === 'hematocrit' && blood.hematocrit === null ? 'rmblr' : wanted;
    const ratio = marrowBloodRatio(protocol, method, blood.hematocrit);
    const d = marrowSelfDose({
      bloodTiaMBqHPerMl: blood.tia.tia,
      ratio: ratio.value,
      marrowMassG: massG,
      sSelf: options.sSelf,
    });
    const sigma = blood.tia.singlePoint ? unc.singlePoint : unc.multiPoint;
    measuredCycles.set(m, {
      bloodTiaMBqHPerMl: blood.tia.tia,
      doseGy: d.doseGy,
      estimated: false,
      singlePoint: blood.tia.singlePoint,
      relativeUncertainty: sigma,
      doseUpperGy: d.doseGy * (1 + sigma),
      because: [
        ...blood.tia.because,
        ...(method !== wanted
          ? [
              {
                rule: 'no haematocrit recorded for this cycle: RMBLR used instead of 0.19/(1 − Hct)',
                observed: null,
                threshold: null,
                source: `${protocol.name}/marrow.rmblr`,
              },
            ]
          : []),
        ratio.because,
        {
          rule:
            `marrow self-dose: RMBLR × [Ã]_blood × m_RM × S = ${ratio.value.toFixed(4)} × ${blood.tia.tia.toPrecision(6)} MBq·h/mL × ` +
            `${massG} g × ${d.sValue.valueMGyPerMBqS.toPrecision(4)} mGy/(MBq·s) = ${d.doseGy.toFixed(5)} Gy (cross-dose not included)`,
          observed: { value: d.doseGy, unit: 'Gy' },
          threshold: null,
          source: `${d.sValue.source}; licence ${d.sValue.licence}`,
        },
      ],
    });
  }
  const perGbq = sampled.map((m) => measuredCycles.get(m)!.doseGy / m.cycle.activityGbq);
  const meanDpg = perGbq.reduce((s, x) => s + x, 0) / perGbq.length;
  const nextSigma = Math.max(...sampled.map((m) => measuredCycles.get(m)!.relativeUncertainty));
  const cycles = measured.map((m): MarrowCycle => {
    const known = measuredCycles.get(m);
    if (known !== undefined) return known;
    const dose = meanDpg * m.cycle.activityGbq;
    return {
      bloodTiaMBqHPerMl: null,
      doseGy: dose,
      estimated: true,
      singlePoint: false,
      relativeUncertainty: nextSigma,
      doseUpperGy: dose * (1 + nextSigma),
      because: [
        {
          rule: `no blood samples: estimated as ${meanDpg.toPrecision(4)} Gy/GBq (mean of ${perGbq.length} sampled cycle(s)) × ${m.cycle.activityGbq} GBq`,
          observed: { value: m.cycle.activityGbq, unit: 'GBq' },
          threshold: null,
          source: 'mean marrow dose per GBq of the patient',
        },
      ],
    };
  });
  const cumulativeDoseGy = cycles.reduce((s, c) => s + c.doseGy, 0);
  const cumulativeUpperDoseGy = cycles.reduce((s, c) => s + c.doseUpperGy, 0);
  const limitGy = protocol.limits.marrowDoseGy;
  const remainingGy = limitGy - cumulativeDoseGy;
  const next = remainingGy > 0 ? remainingGy / meanDpg : 0;
  const upperLeft = limitGy - cumulativeUpperDoseGy;
  return {
    cycles,
    meanDosePerGbq: meanDpg,
    cumulativeDoseGy,
    cumulativeUpperDoseGy,
    limitGy,
    remainingGy,
    maxNextActivityGbq: decide(next, {
      rule: `under the red-marrow limit: (${limitGy} − ${cumulativeDoseGy.toFixed(4)}) Gy / ${meanDpg.toPrecision(4)} Gy/GBq = ${next.toFixed(4)} GBq`,
      observed: { value: cumulativeDoseGy, unit: 'Gy' },
      threshold: { value: limitGy, unit: 'Gy' },
      source: `${protocol.name}/limits.marrowDoseGy`,
    }),
    maxNextActivityGbqConservative: upperLeft > 0 ? upperLeft / (meanDpg * (1 + nextSigma)) : 0,
  };
}
