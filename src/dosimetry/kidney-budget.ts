/**
 * The kidney budget of a patient (exchange format v1, dosimetry.csv): every cycle of every course gets a
 * kidney absorbed dose and BED — measured (several points, or one point by Hänscheid) or, without kidney
 * measurements, estimated as the patient's mean dose per GBq × the cycle's activity. The mean dose per
 * GBq is the arithmetic mean of the measured cycles' dose/activity (0.65 Gy/GBq when none is measured);
 * the mean G is that of the multi-point cycles (else the G of T_eff = 50 h). Cumulative values sum every
 * cycle; the largest next activity is the dose (or BED) left over the mean dose per GBq, 0 when nothing
 * is left. A relative uncertainty per cycle gives the conservative (upper-dose) figures beside them.
 */
import { decide, type Decision, type Reason } from '../clinical/explain.js';
import type { Patient } from '../clinical/model.js';
import { bedGy, doseForBed, gMonoExponential } from './bed.js';
import { hanscheidWithinRange } from './single-point.js';
import type { MeasuredCycle } from './cycle-measured.js';
import type { DosimetryProtocol } from './dosimetry-protocol.js';

export interface KidneyCycle {
  readonly tiaMBqH: number | null;
  readonly doseGy: number;
  readonly bedGy: number;
  readonly tEffH: number | null;
  /** The G factor used for this cycle's BED. */
  readonly g: number;
  readonly estimated: boolean;
  readonly singlePoint: boolean;
  /** `trapezoid-tail`, `fit:<model>`, `hanscheid-2018` or `estimated`. */
  readonly method: string;
  readonly massG: number | null;
  readonly sValueMGyPerMBqS: number | null;
  readonly points: number;
  readonly dosePerGbq: number;
  /** Relative standard uncertainty of the dose. */
  readonly relativeUncertainty: number;
  readonly doseRangeGy: readonly [number, number];
  /** BED of the upper dose. */
  readonly bedUpperGy: number;
  /**
   * Single-point cycles: whether Hänscheid's approximation is within 10 % for the patient's mean T_eff
   * (of the multi-point cycles, else the protocol's 50 h) at the measurement time; null otherwise.
   */
  readonly hanscheidInRange: boolean | null;
  readonly because: readonly Reason[];
}

export interface KidneyBudget {
  readonly cycles: readonly KidneyCycle[];
  readonly meanDosePerGbq: Decision<number>;
  /** `measured` (mean of the patient's measured cycles) or `default` (the protocol's Gy/GBq). */
  readonly meanDosePerGbqFrom: 'measured' | 'default';
  readonly meanG: Decision<number>;
  /** The relative uncertainty applied to an unmeasured (estimated or next) cycle. */
  readonly unmeasuredUncertainty: number;
  readonly cumulative: { readonly doseGy: number; readonly bedGy: number };
  readonly cumulativeUpper: { readonly doseGy: number; readonly bedGy: number };
  readonly limits: Decision<{ readonly doseGy: number; readonly bedGy: number }>;
  readonly remaining: { readonly doseGy: number; readonly bedGy: number };
  readonly maxNextActivityGbq: Decision<{ readonly dose: number; readonly bed: number }>;
  /** The same from the upper cumulative values and the upper dose per GBq of the next cycle. */
  readonly maxNextActivityGbqConservative: { readonly dose: number; readonly bed: number };
}

const meanOf = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The kidney BED limit of a patient: the lower one with hypertension or diabetes. */
export function kidneyLimits(
  patient: Patient,
  protocol: DosimetryProtocol,
): Decision<{ doseGy: number; bedGy: number }> {
  const risk = patient.hypertension === true || patient.diabetes === true;
  const bed = risk ? protocol.limits.kidneysBedWithRiskGy : protocol.limits.kidneysBedGy;
  const factors = [
    patient.hypertension === true ? 'hypertension' : null,
    patient.diabetes === true ? 'diabetes' : null,
  ].filter((x) => x !== null);
  return decide(
    { doseGy: protocol.limits.kidneysDoseGy, bedGy: bed },
    {
      rule: `kidney absorbed-dose limit ${protocol.limits.kidneysDoseGy} Gy`,
      observed: null,
      threshold: { value: protocol.limits.kidneysDoseGy, unit: 'Gy' },
      source: `${protocol.name}/limits.kidneysDoseGy`,
    },
    {
      rule: risk
        ? `kidney BED limit ${bed} Gy: risk factor ${factors.join(' and ')}`
        : `kidney BED limit ${bed} Gy: no hypertension or diabetes recorded` +
          (patient.hypertension === null || patient.diabetes === null
            ? ' (a missing flag counts as absent)'
            : ''),
      observed: factors.length > 0 ? factors.join(', ') : 'none',
      threshold: { value: bed, unit: 'Gy' },
      source: `${protocol.name}/limits.${risk ? 'kidneysBedWithRiskGy' : 'kidneysBedGy'}`,
    },
  );
}

export function kidneyBudget(
  patient: Patient,
  measured: readonly MeasuredCycle[],
  protocol: DosimetryProtocol,
): KidneyBudget {
  const { alphaBetaGy: ab, repairHalfTimeH: tRep } = protocol.kidneys;
  const unc = protocol.uncertainty;
  const withKidneys = measured.filter((m) => m.kidneys !== null);
  const multi = withKidneys.filter((m) => !m.kidneys!.tia.singlePoint);

  const perGbq = withKidneys.map((m) => m.kidneys!.doseGy / m.cycle.activityGbq);
  const meanDosePerGbqFrom = perGbq.length > 0 ? 'measured' : 'default';
  const meanDpg = perGbq.length > 0 ? meanOf(perGbq) : protocol.kidneys.defaultDosePerGbq;
  const meanDosePerGbq = decide(meanDpg, {
    rule:
      perGbq.length > 0
        ? `patient's mean kidney dose per GBq: arithmetic mean of ${perGbq.length} measured cycle(s) ` +
          `(${perGbq.map((x) => x.toFixed(4)).join(', ')}) = ${meanDpg.toFixed(4)} Gy/GBq`
        : `no measured cycle: default ${meanDpg} Gy/GBq`,
    observed: { value: meanDpg, unit: 'Gy/GBq' },
    threshold: null,
    source:
      perGbq.length > 0 ? 'exchange format v1, dosimetry.csv' : `${protocol.name}/kidneys.defaultDosePerGbq`,
  });

  const gs = multi.map((m) => m.kidneys!.tia.g!);
  const meanGValue =
    gs.length > 0 ? meanOf(gs) : gMonoExponential(tRep, protocol.kidneys.defaultEffectiveHalfLifeH);
  const meanG = decide(meanGValue, {
    rule:
      gs.length > 0
        ? `mean G of ${gs.length} multi-point cycle(s) (${gs.map((g) => g.toFixed(6)).join(', ')}) = ${meanGValue.toFixed(6)}`
        : `no multi-point cycle: G = T_rep/(T_rep + T_eff) = ${tRep}/(${tRep} + ${protocol.kidneys.defaultEffectiveHalfLifeH}) = ${meanGValue.toFixed(6)}`,
    observed: { value: meanGValue, unit: '1' },
    threshold: null,
    source:
      gs.length > 0
        ? 'exchange format v1, dosimetry.csv'
        : `${protocol.name}/kidneys.defaultEffectiveHalfLifeH`,
  });

  const tEffs = multi.map((m) => m.kidneys!.tia.tEffH!);
  const typicalTEff = tEffs.length > 0 ? meanOf(tEffs) : protocol.kidneys.defaultEffectiveHalfLifeH;

  const measuredUnc = withKidneys.map((m) => (m.kidneys!.tia.singlePoint ? unc.singlePoint : unc.multiPoint));
  const unmeasuredUncertainty = measuredUnc.length > 0 ? Math.max(...measuredUnc) : unc.populationDefault;
  const uncSource = (path: string): string => `${protocol.name}/uncertainty.${path}`;

  const cycles: KidneyCycle[] = measured.map((m) => {
    const k = m.kidneys;
    const activity = m.cycle.activityGbq;
    if (k !== null) {
      const single = k.tia.singlePoint;
      const g = single ? meanGValue : k.tia.g!;
      const bed = bedGy(k.doseGy, g, ab);
      const sigma = single ? unc.singlePoint : unc.multiPoint;
      const upper = k.doseGy * (1 + sigma);
      const tH = k.singlePointTimeH;
      const inRange =
        tH === null
          ? null
          : hanscheidWithinRange(
              typicalTEff,
              tH,
              protocol.singlePoint.hanscheidValidLow,
              protocol.singlePoint.hanscheidValidHigh,
            );
      const rangeReason: Reason[] =
        tH === null
          ? []
          : [
              {
                rule:
                  `Hänscheid's estimate is within 10 % when T_eff/t lies in ${protocol.singlePoint.hanscheidValidLow}–` +
                  `${protocol.singlePoint.hanscheidValidHigh}: T_eff ${typicalTEff.toFixed(1)} h` +
                  `${tEffs.length > 0 ? " (the patient's multi-point mean)" : ' (default)'} / t ${tH} h = ` +
                  `${(typicalTEff / tH).toFixed(2)}: ${inRange ? 'inside' : 'OUTSIDE, the estimate may be off by more than 10 %'}`,
                observed: { value: typicalTEff / tH, unit: '1' },
                threshold: `${protocol.singlePoint.hanscheidValidLow}–${protocol.singlePoint.hanscheidValidHigh}`,
                source: `${protocol.name}/singlePoint.hanscheidValidLow, singlePoint.hanscheidValidHigh`,
              },
            ];
      return {
        tiaMBqH: k.tia.tia,
        doseGy: k.doseGy,
        bedGy: bed,
        tEffH: k.tia.tEffH,
        g,
        estimated: false,
        singlePoint: single,
        method: k.tia.method,
        massG: k.massG,
        sValueMGyPerMBqS: k.sValue,
        points: k.points,
        dosePerGbq: k.doseGy / activity,
        relativeUncertainty: sigma,
        doseRangeGy: [Math.max(0, k.doseGy * (1 - sigma)), upper],
        bedUpperGy: bedGy(upper, g, ab),
        hanscheidInRange: inRange,
        because: [
          ...k.because,
          ...rangeReason,
          {
            rule:
              `BED = D·(1 + G·D/(α/β)) = ${k.doseGy.toFixed(4)}·(1 + ${g.toFixed(6)}·${k.doseGy.toFixed(4)}/${ab}) = ` +
              `${bed.toFixed(4)} Gy, G ${single ? "= the patient's mean G (single time point)" : `= T_rep/(T_rep + T_eff) with T_eff ${k.tia.tEffH!.toFixed(3)} h`}`,
            observed: { value: bed, unit: 'Gy' },
            threshold: null,
            source: `${protocol.name}/kidneys.alphaBetaGy, kidneys.repairHalfTimeH`,
          },
          {
            rule: `relative uncertainty ${(sigma * 100).toFixed(0)} % (${single ? 'single time point' : 'several time points'}): ${k.doseGy.toFixed(4)} Gy, up to ${upper.toFixed(4)} Gy`,
            observed: { value: sigma, unit: '1' },
            threshold: null,
            source: uncSource(single ? 'singlePoint' : 'multiPoint'),
          },
        ],
      };
    }
    const dose = meanDpg * activity;
    const bed = bedGy(dose, meanGValue, ab);
    const upper = dose * (1 + unmeasuredUncertainty);
    return {
      tiaMBqH: null,
      doseGy: dose,
      bedGy: bed,
      tEffH: null,
      g: meanGValue,
      estimated: true,
      singlePoint: false,
      method: 'estimated',
      massG: null,
      sValueMGyPerMBqS: null,
      points: 0,
      dosePerGbq: meanDpg,
      relativeUncertainty: unmeasuredUncertainty,
      doseRangeGy: [Math.max(0, dose * (1 - unmeasuredUncertainty)), upper],
      bedUpperGy: bedGy(upper, meanGValue, ab),
      hanscheidInRange: null,
      because: [
        {
          rule: `no kidney measurement: estimated as ${meanDpg.toFixed(4)} Gy/GBq × ${activity} GBq = ${dose.toFixed(4)} Gy`,
          observed: { value: activity, unit: 'GBq' },
          threshold: null,
          source: meanDosePerGbq.because[0]!.source,
        },
        {
          rule: `BED with the mean G ${meanGValue.toFixed(6)}: ${bed.toFixed(4)} Gy`,
          observed: { value: bed, unit: 'Gy' },
          threshold: null,
          source: meanG.because[0]!.source,
        },
        {
          rule: `relative uncertainty ${(unmeasuredUncertainty * 100).toFixed(0)} % (${
            meanDosePerGbqFrom === 'measured'
              ? "the largest of the patient's measured cycles"
              : 'population value'
          })`,
          observed: { value: unmeasuredUncertainty, unit: '1' },
          threshold: null,
          source:
            meanDosePerGbqFrom === 'measured'
              ? uncSource('multiPoint/singlePoint')
              : uncSource('populationDefault'),
        },
      ],
    };
  });

  const sum = (f: (c: KidneyCycle) => number): number => cycles.reduce((s, c) => s + f(c), 0);
  const cumulative = { doseGy: sum((c) => c.doseGy), bedGy: sum((c) => c.bedGy) };
  const cumulativeUpper = { doseGy: sum((c) => c.doseRangeGy[1]), bedGy: sum((c) => c.bedUpperGy) };
  const limits = kidneyLimits(patient, protocol);
  const remaining = {
    doseGy: limits.value.doseGy - cumulative.doseGy,
    bedGy: limits.value.bedGy - cumulative.bedGy,
  };
  const nextActivity = (
    doseLeft: number,
    bedLeft: number,
    perGbq: number,
  ): { dose: number; bed: number } => ({
    dose: doseLeft > 0 ? doseLeft / perGbq : 0,
    bed: bedLeft > 0 ? doseForBed(bedLeft, meanGValue, ab) / perGbq : 0,
  });
  const next = nextActivity(remaining.doseGy, remaining.bedGy, meanDpg);
  const bedDose = doseForBed(remaining.bedGy, meanGValue, ab);
  const binding = next.dose <= next.bed ? 'the absorbed-dose limit' : 'the BED limit';
  const maxNextActivityGbq = decide(
    next,
    {
      rule:
        `under the absorbed-dose limit: (${limits.value.doseGy} − ${cumulative.doseGy.toFixed(4)}) Gy / ` +
        `${meanDpg.toFixed(4)} Gy/GBq = ${next.dose.toFixed(4)} GBq` +
        (remaining.doseGy > 0 ? '' : ' (nothing left)'),
      observed: { value: cumulative.doseGy, unit: 'Gy' },
      threshold: { value: limits.value.doseGy, unit: 'Gy' },
      source: `${protocol.name}/limits.kidneysDoseGy`,
    },
    {
      rule:
        `under the BED limit: D(1 + kD) = ${remaining.bedGy.toFixed(4)} Gy left, k = G/(α/β) = ` +
        `${meanGValue.toFixed(6)}/${ab} = ${(meanGValue / ab).toFixed(6)} per Gy, D = ${bedDose.toFixed(4)} Gy, ` +
        `/ ${meanDpg.toFixed(4)} Gy/GBq = ${next.bed.toFixed(4)} GBq` +
        (remaining.bedGy > 0 ? '' : ' (nothing left)'),
      observed: { value: cumulative.bedGy, unit: 'Gy' },
      threshold: { value: limits.value.bedGy, unit: 'Gy' },
      source: limits.because[1]!.source,
    },
    {
      rule: `binding: ${binding} (${Math.min(next.dose, next.bed).toFixed(4)} GBq)`,
      observed: { value: Math.min(next.dose, next.bed), unit: 'GBq' },
      threshold: null,
      source: protocol.name,
    },
  );
  const maxNextActivityGbqConservative = nextActivity(
    limits.value.doseGy - cumulativeUpper.doseGy,
    limits.value.bedGy - cumulativeUpper.bedGy,
    meanDpg * (1 + unmeasuredUncertainty),
  );
  return {
    cycles,
    meanDosePerGbq,
    meanDosePerGbqFrom,
    meanG,
    unmeasuredUncertainty,
    cumulative,
    cumulativeUpper,
    limits,
    remaining,
    maxNextActivityGbq,
    maxNextActivityGbqConservative,
  };
}
