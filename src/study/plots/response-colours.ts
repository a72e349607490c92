/** One colour per response category, shared by the waterfall and swimmer plots (colour-blind safe). */
export const RESPONSE_COLOURS: Readonly<Record<string, string>> = {
  CR: '#004D40',
  PR: '#009E73',
  MR: '#56B4E9',
  SD: '#E69F00',
  PD: '#D55E00',
  NE: '#999999',
};

export const RESPONSE_ORDER = ['CR', 'PR', 'MR', 'SD', 'PD', 'NE'] as const;

export function responseColour(code: string): string {
  return RESPONSE_COLOURS[code] ?? '#999999';
}
