// Where a workflow record is: its steps with those done ticked, the current
// one marked for screen readers.
import { h } from 'vue';
import { ElSteps, ElStep } from 'element-plus';

// steps: [{key, title}]; at: how many are done; label: the bar's accessible name.
export function stepBar({ steps, at, label, cls = 'sd-steps', processStatus = 'process' }) {
  return h(ElSteps, {
    active: at, finishStatus: 'success', processStatus, alignCenter: true, class: cls, 'data-test': 'status-steps', 'aria-label': label,
  }, () => steps.map((s, i) => h(ElStep, { key: s.key, title: s.title, 'aria-current': i === at ? 'step' : undefined })));
}
