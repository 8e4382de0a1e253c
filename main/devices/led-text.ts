/** The text a window LED strip shows for a call: a template with {number}, {window}, {windowName}. */
export const DEFAULT_LED_TEMPLATE = '请{number}号到{window}号窗口';

export function formatLedText(
  template: string | null | undefined,
  v: { number: string; window: number; windowName?: string },
): string {
  return (template ?? DEFAULT_LED_TEMPLATE)
    .replaceAll('{number}', v.number)
    .replaceAll('{window}', String(v.window))
    .replaceAll('{windowName}', v.windowName ?? '');
}
