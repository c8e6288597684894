import type { ReportContext, ReportInput } from './types.js';

/** Output formats by name; each module is loaded only when asked for. */
export const FORMATS = ['text', 'concise', 'json', 'sarif', 'github', 'metrics'] as const;
export type FormatName = (typeof FORMATS)[number];

export async function renderReport(format: FormatName, input: ReportInput, context: ReportContext): Promise<string> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).renderText(input, context);
    case 'concise':
      return (await import('./text.js')).renderConcise(input, context);
    case 'json':
      return (await import('./json.js')).renderJson(input, context);
    case 'sarif':
      return (await import('./sarif.js')).renderSarif(input, context);
    case 'github':
      return (await import('./github.js')).renderGithub(input, context);
    case 'metrics':
      return (await import('./metrics.js')).renderMetrics(input, context);
  }
}
