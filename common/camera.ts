/**
 * The document camera (高拍仪) a counter page uses, as the hall config names it: a label (the short
 * form, `camera: "Gaopaiyi S500"`) or an object (`camera: { label: "Gaopaiyi S500" }`, room for
 * more settings later). Pure; shared by the config, the shell and the counter page.
 */
export type CameraSetting = string | { readonly label: string };

/** The label to look for, or null when none is configured. */
export function cameraLabel(c: CameraSetting | null | undefined): string | null {
  if (c === null || c === undefined) return null;
  const label = typeof c === 'string' ? c : c.label;
  return label.trim() || null;
}

export interface CameraChoice<D> {
  device: D | null;
  /** Chinese notice for the staff when the configured camera was not found (null when it was). */
  notice: string | null;
}

/**
 * Picks the configured camera among the video inputs by label (case and spacing ignored, a part
 * of the label is enough: systems add "(046d:0825)" and the like); falls back to the first camera
 * with a notice that says so.
 */
export function chooseCamera<D extends { label: string }>(
  devices: readonly D[],
  wanted: string | null,
): CameraChoice<D> {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  if (wanted) {
    const w = norm(wanted);
    const hit = devices.find((d) => norm(d.label) === w) ?? devices.find((d) => norm(d.label).includes(w));
    if (hit) return { device: hit, notice: null };
  }
  const first = devices[0] ?? null;
  if (!first) return { device: null, notice: '未找到摄像头：请连接高拍仪后重试' };
  const name = first.label || '第一个摄像头';
  return {
    device: first,
    notice: wanted ? `未找到配置的高拍仪「${wanted}」，已改用「${name}」` : `本窗口未配置高拍仪，已使用「${name}」`,
  };
}
