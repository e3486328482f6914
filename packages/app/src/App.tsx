// The portal's app (new frontend system): the catalog with the org pages, notifications with
// live signals, and the canary plugin (entity card, Canary tab, /canary overview).
import canaryPlugin from '@aviary/backstage-plugin-canary/alpha';
import { SignInPage } from '@backstage/core-components';
import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';

/** Guest sign-in only: the portal is a local demo (see app-config.yaml `auth.providers.guest`). */
const guestSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => <SignInPage {...props} providers={['guest']} />,
  },
});

export default createApp({
  features: [
    catalogPlugin,
    orgPlugin,
    notificationsPlugin,
    signalsPlugin,
    canaryPlugin,
    createFrontendModule({ pluginId: 'app', extensions: [guestSignInPage] }),
  ],
});
