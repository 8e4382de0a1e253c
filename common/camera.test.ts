import { describe, expect, it } from 'vitest';
import { cameraLabel, chooseCamera } from './camera.js';

describe('document camera choice', () => {
  it('reads the short and the object form', () => {
    expect(cameraLabel('Gaopaiyi S500')).toBe('Gaopaiyi S500');
    expect(cameraLabel({ label: ' Gaopaiyi S500 ' })).toBe('Gaopaiyi S500');
    expect(cameraLabel(undefined)).toBeNull();
  });

  it('finds the camera by label, exactly or as a part, else takes the first with a notice', () => {
    const cams = [{ label: 'Integrated Webcam' }, { label: 'Gaopaiyi  S500 (1a2b:3c4d)' }];
    expect(chooseCamera(cams, 'gaopaiyi s500')).toEqual({ device: cams[1], notice: null });
    expect(chooseCamera(cams, 'Other')).toEqual({
      device: cams[0],
      notice: '未找到配置的高拍仪「Other」，已改用「Integrated Webcam」',
    });
    expect(chooseCamera(cams, null).notice).toBe('本窗口未配置高拍仪，已使用「Integrated Webcam」');
    expect(chooseCamera([], 'x')).toEqual({ device: null, notice: '未找到摄像头：请连接高拍仪后重试' });
  });
});
