// SPDX-License-Identifier: MIT
// A phone's camera reading QR codes: the voucher scanner at a service point
// and the stocktake's label scanner share it. jsQR (a UMD bundle: imported
// for its effect, it sets self.jsQR) is fetched when the camera is first
// started; frames are read five times a second while nothing else is busy.
import { ref, onBeforeUnmount } from 'vue';

let jsqrPromise = null;
function loadJsQR() {
  jsqrPromise ||= import('jsqr').then(() => globalThis.jsQR);
  return jsqrPromise;
}

// video: a ref of the <video> element; busy(): true while a code is being
// handled (frames are skipped); onCode(text): each code read — the same code
// held in front of the camera at most once every four seconds. Returns
// {camera, start, stop}: camera is 'off' | 'on' | 'unavailable'; the camera
// stops with the component.
export function useQrCamera(video, busy, onCode) {
  const camera = ref('off');
  let stream = null, timer = null, last = '', lastAt = 0;
  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((tr) => tr.stop());
    stream = null;
    if (camera.value === 'on') camera.value = 'off';
  }
  async function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      camera.value = 'unavailable';
      return;
    }
    try {
      const jsQR = await loadJsQR();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      camera.value = 'on';
      const el = video.value;
      el.srcObject = stream;
      await el.play();
      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      timer = setInterval(() => {
        if (!el.videoWidth || busy()) return;
        canvas.width = el.videoWidth;
        canvas.height = el.videoHeight;
        ctx.drawImage(el, 0, 0);
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const found = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
        if (found && found.data && (found.data !== last || Date.now() - lastAt > 4000)) {
          last = found.data;
          lastAt = Date.now();
          onCode(found.data);
        }
      }, 200);
    } catch {
      stop();
      camera.value = 'unavailable';
    }
  }
  onBeforeUnmount(stop);
  return { camera, start, stop };
}
