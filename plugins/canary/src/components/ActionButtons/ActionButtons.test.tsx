import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis } from '@backstage/test-utils';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import { ResponseError } from '@backstage/errors';
import { FakeCanaryApi } from '../../testing/FakeCanaryApi';
import { failedCanary, progressingCanary } from '../../testing/fixtures';
import { fakeAlertApi, renderCanary } from '../../testing/render';
import { ActionButtons } from './ActionButtons';

const entityRef = 'component:default/podinfo';

// AuthorizeResult.DENY, named through the permission API's own types (the enum's package is not a
// dependency of this plugin).
type Decision = Awaited<ReturnType<PermissionApi['authorize']>>['result'];
const DENY = 'DENY' as Extract<Decision, 'DENY'>;

function buttons() {
  return within(screen.getByTestId('canary-actions'))
    .getAllByRole('button')
    .map(b => b.textContent);
}

describe('ActionButtons', () => {
  it('offers promote, pause and abort while progressing', async () => {
    await renderCanary(<ActionButtons canary={progressingCanary()} entityRef={entityRef} />, {
      api: new FakeCanaryApi(),
    });
    expect(buttons()).toEqual(['Promote', 'Pause', 'Abort']);
  });

  it('offers resume instead of pause while paused, and only retry when failed', async () => {
    const { unmount } = await renderCanary(
      <ActionButtons canary={progressingCanary({ paused: true })} entityRef={entityRef} />,
      { api: new FakeCanaryApi() },
    );
    expect(buttons()).toEqual(['Promote', 'Resume', 'Abort']);
    unmount();
    await renderCanary(<ActionButtons canary={failedCanary()} entityRef={entityRef} />, {
      api: new FakeCanaryApi(),
    });
    expect(buttons()).toEqual(['Retry']);
  });

  it('renders nothing when no action makes sense', async () => {
    await renderCanary(
      <ActionButtons canary={progressingCanary({ phase: 'Succeeded' })} entityRef={entityRef} />,
      { api: new FakeCanaryApi() },
    );
    expect(screen.queryByTestId('canary-actions')).not.toBeInTheDocument();
  });

  it('asks for a reason, shows the revision and sends the action for it', async () => {
    const api = new FakeCanaryApi();
    const alertApi = fakeAlertApi();
    await renderCanary(<ActionButtons canary={progressingCanary()} entityRef={entityRef} />, {
      api,
      alertApi,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Promote' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('Promote demo/podinfo?');
    expect(within(dialog).getByTestId('action-revision')).toHaveTextContent(
      'Revision: 7c9d8f6b5 (ghcr.io/stefanprodan/podinfo:6.0.1)',
    );
    const confirm = within(dialog).getByRole('button', { name: 'Promote' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText('Reason'), '   ');
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'metrics look fine');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(api.calls.requestAction).toEqual([
      {
        ref: { cluster: 'local', namespace: 'demo', name: 'podinfo' },
        request: { action: 'promote', reason: 'metrics look fine', revision: '7c9d8f6b5' },
      },
    ]);
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        severity: 'success',
        message: expect.stringContaining('Promote requested for demo/podinfo (request req-1)'),
      }),
    );
  });

  it('keeps the dialog open with the backend message when the request is refused', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'ConflictError', message: 'revision 7c9d8f6b5 is no longer running' },
        response: { statusCode: 409 },
      }),
      { status: 409, headers: { 'Content-Type': 'application/json' } },
    );
    const api = new FakeCanaryApi({ action: await ResponseError.fromResponse(response) });
    const alertApi = fakeAlertApi();
    await renderCanary(<ActionButtons canary={progressingCanary()} entityRef={entityRef} />, {
      api,
      alertApi,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Abort' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'errors in checkout');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Abort' }));
    expect(
      await within(dialog).findByText('revision 7c9d8f6b5 is no longer running (HTTP 409)'),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(alertApi.post).not.toHaveBeenCalled();
  });

  it('cancels without a request', async () => {
    const api = new FakeCanaryApi();
    await renderCanary(<ActionButtons canary={failedCanary()} entityRef={entityRef} />, { api });
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(api.calls.requestAction).toEqual([]);
  });

  it('disables the actions with an explanation without the canary.action permission', async () => {
    const permission = mockApis.permission({ authorize: DENY });
    const authorize = jest.spyOn(permission, 'authorize');
    // usePermission caches answers per permission and resource: use an entity no other test asked for.
    const locked = 'component:default/locked';
    await renderCanary(<ActionButtons canary={progressingCanary()} entityRef={locked} />, {
      api: new FakeCanaryApi(),
      permission,
    });
    expect(
      await screen.findByText('You need the canary.action permission on this entity'),
    ).toBeInTheDocument();
    for (const name of ['Promote', 'Pause', 'Abort']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({ name: 'canary.action' }),
        resourceRef: locked,
      }),
    );
  });
});
