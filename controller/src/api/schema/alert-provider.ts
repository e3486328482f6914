// The AlertProvider custom resource: a chat destination for canary notifications.
import { ALERT_PROVIDER_KIND, ALERT_PROVIDER_PLURAL, ALERT_PROVIDER_SINGULAR } from '../names.js';
import { obj, str, strEnum } from './build.js';
import { rootSchema, type CrdDefinition } from './common.js';
import type { SchemaNode } from './node.js';

export const alertProviderSpec: SchemaNode = obj(
  'A chat service that receives canary notifications. Set address or secretRef (the Secret\u2019s address wins).',
  {
    type: strEnum('Chat service.', ['slack', 'msteams', 'discord', 'rocket', 'gchat'], {
      tsName: 'AlertProviderType',
    }),
    address: str('Incoming webhook URL.'),
    secretRef: obj(
      'Secret in the provider\u2019s namespace with the keys address (required) and token (optional, sent as a bearer token).',
      { name: str('Name of the Secret.') },
      { required: ['name'], tsName: 'LocalSecretRef' },
    ),
    channel: str('Channel to post to. Default: general.'),
    username: str('Name the messages are posted as. Default: aviary.'),
    proxy: str('HTTP(S) proxy URL for posting.'),
  },
  { required: ['type'], tsName: 'AlertProviderSpec' },
);

export const alertProviderCrd: CrdDefinition = {
  kind: ALERT_PROVIDER_KIND,
  listKind: 'AlertProviderList',
  plural: ALERT_PROVIDER_PLURAL,
  singular: ALERT_PROVIDER_SINGULAR,
  categories: ['all'],
  file: 'alertproviders.yaml',
  printerColumns: [
    { name: 'Type', type: 'string', jsonPath: '.spec.type', description: 'Chat service.' },
  ],
  schema: rootSchema(
    'An AlertProvider is a chat destination (Slack, Microsoft Teams, Discord, Rocket.Chat, Google Chat) for canary notifications.',
    'AlertProvider',
    { spec: alertProviderSpec },
  ),
};
