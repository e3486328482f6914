// Renders a component the way the app would: test app, fake canary API, permissions, a fixed clock and
// fixed-width charts.
import type { ReactElement } from 'react';
import { DateTime } from 'luxon';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import type { AlertApi } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { canaryApiRef } from '../api/CanaryApi';
import { FixedChartWidth } from '../components/charts/ChartFrame';
import { ClockProvider } from '../components/status/clock';
import type { FakeCanaryApi } from './FakeCanaryApi';
import { NOW } from './fixtures';

export function fakeAlertApi() {
  return { post: jest.fn(), alert$: jest.fn() } satisfies AlertApi;
}

export interface RenderOptions {
  api: FakeCanaryApi;
  entity?: Entity;
  permission?: PermissionApi;
  alertApi?: AlertApi;
  routeEntries?: string[];
}

export function renderCanary(element: ReactElement, options: RenderOptions) {
  const wrapped = (
    <TestApiProvider
      apis={[
        [canaryApiRef, options.api],
        [permissionApiRef, options.permission ?? mockApis.permission()],
        [alertApiRef, options.alertApi ?? fakeAlertApi()],
      ]}
    >
      <ClockProvider now={() => DateTime.fromISO(NOW)}>
        <FixedChartWidth width={600}>
          {options.entity ? (
            <EntityProvider entity={options.entity}>{element}</EntityProvider>
          ) : (
            element
          )}
        </FixedChartWidth>
      </ClockProvider>
    </TestApiProvider>
  );
  return renderInTestApp(wrapped, { routeEntries: options.routeEntries });
}
