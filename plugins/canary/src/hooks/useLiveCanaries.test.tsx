import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { TestApiProvider } from '@backstage/test-utils';
import type { CanaryDetail, EntityCanary } from '@aviary/backstage-plugin-canary-common';
import { canaryApiRef } from '../api/CanaryApi';
import { FakeCanaryApi } from '../testing/FakeCanaryApi';
import { progressingCanary } from '../testing/fixtures';
import { useLiveCanaries } from './useLiveCanaries';

const ref = { cluster: 'local', namespace: 'demo', name: 'podinfo' };
const initial: EntityCanary[] = [{ ref, state: progressingCanary() }];

function summary(weight: number) {
  const {
    checks: _c,
    events: _e,
    changes: _ch,
    spec: _s,
    images: _i,
    status: _st,
    ...rest
  } = progressingCanary({ weight });
  return rest;
}

describe('useLiveCanaries', () => {
  it('coalesces re-reads: one in flight, one more after it, whatever the message count', async () => {
    const pending: Array<(detail: CanaryDetail) => void> = [];
    const api = new FakeCanaryApi({
      canary: () => new Promise<CanaryDetail>(resolve => pending.push(resolve)),
    });
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <TestApiProvider apis={[[canaryApiRef, api]]}>{children}</TestApiProvider>
    );
    const { result } = renderHook(() => useLiveCanaries(initial), { wrapper });
    act(() => {
      api.emit({ type: 'canary', canary: summary(40) });
      api.emit({ type: 'canary', canary: summary(50) });
      api.emit({ type: 'canary', canary: summary(50) });
    });
    expect(api.calls.getCanary).toHaveLength(1);
    const shown = result.current.canaries[0]!;
    expect('state' in shown && shown.state.weight).toBe(50);

    await act(async () => pending[0]!(progressingCanary({ weight: 45 })));
    await waitFor(() => expect(api.calls.getCanary).toHaveLength(2));
    await act(async () => pending[1]!(progressingCanary({ weight: 50, failedChecks: 1 })));
    await waitFor(() => {
      const latest = result.current.canaries[0]!;
      expect('state' in latest && latest.state.failedChecks).toBe(1);
    });
    expect(api.calls.getCanary).toHaveLength(2);
  });

  it('keeps what the stream showed when the re-read fails', async () => {
    const api = new FakeCanaryApi({ canary: new Error('controller down') });
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <TestApiProvider apis={[[canaryApiRef, api]]}>{children}</TestApiProvider>
    );
    const { result } = renderHook(() => useLiveCanaries(initial), { wrapper });
    act(() => api.emit({ type: 'canary', canary: summary(20) }));
    await waitFor(() => expect(api.calls.getCanary).toHaveLength(1));
    const shown = result.current.canaries[0]!;
    expect('state' in shown && shown.state.weight).toBe(20);
  });

  it('waits for the full read of a canary that was unreadable at first', async () => {
    const api = new FakeCanaryApi({ canary: progressingCanary({ weight: 10 }) });
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <TestApiProvider apis={[[canaryApiRef, api]]}>{children}</TestApiProvider>
    );
    const broken: EntityCanary[] = [{ ref, error: { status: 503, message: 'down' } }];
    const { result } = renderHook(() => useLiveCanaries(broken), { wrapper });
    act(() => api.emit({ type: 'canary', canary: summary(20) }));
    expect('error' in result.current.canaries[0]!).toBe(true);
    await waitFor(() => {
      const latest = result.current.canaries[0]!;
      expect('state' in latest && latest.state.weight).toBe(10);
    });
  });

  it('re-reads every canary and its history after the stream reconnects', async () => {
    const api = new FakeCanaryApi({ canary: progressingCanary({ weight: 45 }) });
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <TestApiProvider apis={[[canaryApiRef, api]]}>{children}</TestApiProvider>
    );
    const { result } = renderHook(() => useLiveCanaries(initial), { wrapper });
    expect(result.current.streamState).toBe('open');
    act(() => api.emitState('connecting'));
    expect(api.calls.getCanary).toHaveLength(0);
    act(() => api.emitState('retrying', new Error('dropped')));
    act(() => api.emitState('connecting'));
    expect(api.calls.getCanary).toHaveLength(0);
    act(() => api.emitState('open'));
    await waitFor(() => {
      const latest = result.current.canaries[0]!;
      expect('state' in latest && latest.state.weight).toBe(45);
    });
    expect(api.calls.getCanary).toEqual([ref]);
    expect(result.current.rolloutVersions).toEqual({ 'local:demo/podinfo': 1 });
  });
});
