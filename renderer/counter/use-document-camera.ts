/**
 * Opens the window's document camera (高拍仪): the one the terminal's configuration names by label
 * (`camera: { label }` on the counter page), else the first camera with a notice. Device labels are
 * only visible once a camera permission was given, so a first stream is opened, the devices listed,
 * and the stream reopened on the configured camera when that is another one.
 */
import { useEffect, useState } from 'react';
import { cameraLabel, chooseCamera } from '../../common/camera.js';
import { useServices } from '../shared/app.js';

export interface DocumentCamera {
  stream: MediaStream | null;
  /** The label of the camera in use. */
  label: string | null;
  notice: string | null;
  error: string | null;
}

/** The camera label configured for this window's counter page, or null (not a terminal, not set). */
export function useConfiguredCamera(windowNo: number): { label: string | null; known: boolean } {
  const { client } = useServices();
  const [state, setState] = useState<{ label: string | null; known: boolean }>({ label: null, known: false });
  useEffect(() => {
    let alive = true;
    // Without the staff token: on a terminal's own origin the terminal forwards its credentials.
    client
      .withToken(null)
      .call('terminalConfig')
      .then(
        (c) => {
          const page = c.windows.find((w) => w.role === 'counter' && (w.window ?? windowNo) === windowNo);
          if (alive) setState({ label: cameraLabel(page?.camera), known: true });
        },
        () => alive && setState({ label: null, known: true }),
      );
    return () => {
      alive = false;
    };
  }, [client, windowNo]);
  return state;
}

const VIDEO = { width: { ideal: 2592 }, height: { ideal: 1944 } } as const;

export function useDocumentCamera(wanted: string | null, ready: boolean): DocumentCamera {
  const [cam, setCam] = useState<DocumentCamera>({ stream: null, label: null, notice: null, error: null });
  useEffect(() => {
    if (!ready) return;
    let alive = true;
    let stream: MediaStream | null = null;
    const stop = (s: MediaStream | null) => {
      for (const t of s?.getTracks() ?? []) t.stop();
    };
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('本浏览器不能使用摄像头（需要本机地址或 HTTPS）');
      stream = await navigator.mediaDevices.getUserMedia({ video: VIDEO, audio: false });
      const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
      const choice = chooseCamera(devices, wanted);
      const current = stream.getVideoTracks()[0]?.getSettings().deviceId;
      if (choice.device?.deviceId && choice.device.deviceId !== current) {
        stop(stream);
        stream = await navigator.mediaDevices.getUserMedia({
          video: { ...VIDEO, deviceId: { exact: choice.device.deviceId } },
          audio: false,
        });
      }
      if (!alive) return stop(stream);
      setCam({ stream, label: choice.device?.label ?? null, notice: choice.notice, error: null });
    })().catch((e: Error) => {
      if (!alive) return;
      const denied = e.name === 'NotAllowedError';
      setCam({
        stream: null,
        label: null,
        notice: null,
        error: denied ? '没有摄像头权限：请允许本页面使用摄像头' : `无法打开高拍仪：${e.message || e.name}`,
      });
    });
    return () => {
      alive = false;
      stop(stream);
    };
  }, [wanted, ready]);
  return cam;
}
