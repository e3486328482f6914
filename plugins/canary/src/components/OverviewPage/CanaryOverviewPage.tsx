import { Content, Header, Page } from '@backstage/core-components';
import { CanaryOverviewContent } from './CanaryOverviewContent';

/** The legacy app's page shell around the overview; the new frontend system brings its own. */
export function CanaryOverviewPage() {
  return (
    <Page themeId="tool">
      <Header title="Canaries" subtitle="Every canary rollout you can see, across clusters" />
      <Content>
        <CanaryOverviewContent />
      </Content>
    </Page>
  );
}
