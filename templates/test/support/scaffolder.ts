/**
 * Runs a software template the way Backstage's scaffolder does, with Backstage's own parts:
 * - the template entity is checked with the scaffolder's templateEntityV1beta3Validator;
 * - parameters get the form's defaults and are validated against every parameter page with
 *   jsonschema, as the scaffolder backend does before it creates a task;
 * - each step's `if`, `each` and `input` are rendered with nunjitsu, the engine the scaffolder's
 *   NunjucksWorkflowRunner uses (the runner itself is not exported), in the same context shape;
 * - inputs are validated against the action's input schema (as the runner does), and
 *   fetch:template steps run the real builtin action (createFetchTemplateAction) in a workspace.
 * Steps with side effects outside the workspace (publish:*, catalog:register) are recorded with
 * their rendered input instead of being run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { validate as validateJsonSchema, type Schema } from 'jsonschema';
import { createTemplateRenderer, type TemplateValue } from 'nunjitsu';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { mockServices } from '@backstage/backend-test-utils';
import {
  createCatalogRegisterAction,
  createFetchTemplateAction,
} from '@backstage/plugin-scaffolder-backend';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';

export const TEMPLATES_DIR = path.resolve(__dirname, '../..');

export type Parameters = Record<string, unknown>;

interface Step {
  id: string;
  name?: string;
  action: string;
  if?: string | boolean;
  each?: string;
  input?: Record<string, unknown>;
}

interface ParameterPage {
  title?: string;
  required?: string[];
  properties?: Record<string, { default?: unknown }>;
}

export interface TemplateDocument {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { parameters: ParameterPage[]; steps: Step[]; output?: unknown };
}

export interface StepRun {
  id: string;
  action: string;
  input: Record<string, unknown>;
  /** Whether the action ran here (fetch:template) or was only recorded. */
  executed: boolean;
}

export interface TemplateRun {
  workspace: string;
  parameters: Parameters;
  steps: StepRun[];
}

const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));
const fetchTemplate = createFetchTemplateAction({
  reader: mockServices.urlReader.mock(),
  integrations,
});
const catalogRegister = createCatalogRegisterAction({
  // Only its input schema is used; the action never runs here.
  catalog: {} as never,
  integrations,
});
/** Builtin actions whose input schema we can check; publish:* live in other modules. */
const SCHEMAS: Record<string, Schema | undefined> = {
  'fetch:template': fetchTemplate.schema?.input as Schema | undefined,
  'catalog:register': catalogRegister.schema?.input as Schema | undefined,
};

export function loadTemplate(name: string): TemplateDocument {
  const file = path.join(TEMPLATES_DIR, name, 'template.yaml');
  return yaml.load(fs.readFileSync(file, 'utf8')) as TemplateDocument;
}

/** Throws when Backstage's catalog would reject the template entity. */
export async function checkTemplateEntity(template: TemplateDocument): Promise<void> {
  const ok = await templateEntityV1beta3Validator.check(template as never);
  if (!ok)
    throw new Error(`${template.metadata.name} is not a scaffolder.backstage.io/v1beta3 Template`);
}

/** Fills each missing top-level field with its default, as the template form does. */
export function withDefaults(template: TemplateDocument, parameters: Parameters): Parameters {
  const out: Parameters = { ...parameters };
  for (const page of template.spec.parameters) {
    for (const [key, schema] of Object.entries(page.properties ?? {})) {
      if (out[key] === undefined && schema.default !== undefined) {
        out[key] = JSON.parse(JSON.stringify(schema.default));
      }
    }
  }
  return out;
}

/** The scaffolder backend's check of a task's values: every page's schema, every error. */
export function parameterErrors(template: TemplateDocument, parameters: Parameters): string[] {
  return template.spec.parameters.flatMap(page =>
    validateJsonSchema(parameters, page as Schema).errors.map(e => e.stack),
  );
}

const renderer = createTemplateRenderer({ allowRegexExecution: true });

/** Renders every string in `value`, keeping native values for sole expressions (runner rules). */
function render(value: unknown, context: ReturnType<typeof renderer.prepareContext>): unknown {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
    typeof v === 'string' ? renderer.renderValue(v, context) : v,
  );
}

/**
 * Outputs of the recorded actions, shaped like the real ones, so later steps and the template's
 * output render as they would (the scaffolder's dry run likewise substitutes example outputs).
 */
function recordedOutput(action: string, input: Record<string, unknown>): Record<string, string> {
  const repo = new URLSearchParams(String(input.repoUrl ?? '').split('?')[1] ?? '');
  const web = `https://github.com/${repo.get('owner')}/${repo.get('repo')}`;
  switch (action) {
    case 'publish:github':
      return { remoteUrl: `${web}.git`, repoContentsUrl: `${web}/blob/main` };
    case 'publish:github:pull-request':
      return { remoteUrl: `${web}/pull/1`, pullRequestNumber: '1' };
    case 'catalog:register':
      return {
        entityRef: 'component:default/recorded',
        catalogInfoUrl: String(input.repoContentsUrl),
      };
    default:
      return {};
  }
}

const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : Boolean(v));

export interface RunOptions {
  /** Render into this directory (default: a fresh temporary one). */
  workspace?: string;
}

export async function runTemplate(
  name: string,
  given: Parameters,
  options: RunOptions = {},
): Promise<TemplateRun> {
  const template = loadTemplate(name);
  await checkTemplateEntity(template);
  const parameters = withDefaults(template, given);
  const errors = parameterErrors(template, parameters);
  if (errors.length > 0) throw new Error(`invalid parameters: ${errors.join('; ')}`);

  const workspace = options.workspace ?? fs.mkdtempSync(path.join(os.tmpdir(), `tpl-${name}-`));
  const steps: StepRun[] = [];
  let context = renderer.prepareContext({
    parameters: parameters as TemplateValue,
    steps: {},
    user: { ref: 'user:default/tester', entity: { metadata: { name: 'tester' } } },
    secrets: {},
    environment: { parameters: {}, secrets: {} },
  });

  for (const step of template.spec.steps) {
    let output: Record<string, string> = {};
    if (step.if !== undefined && step.each === undefined && !truthy(render(step.if, context))) {
      continue;
    }
    const each = step.each === undefined ? undefined : render(step.each, context);
    if (step.each !== undefined && (typeof each !== 'object' || each === null)) {
      throw new Error(`step ${step.id}: each must resolve to a list or object`);
    }
    const iterations = each
      ? Object.entries(each).map(([key, value]) => ({ key, value: value as TemplateValue }))
      : [undefined];
    for (const iteration of iterations) {
      const local = iteration ? context.withValue(['each'], iteration) : context;
      if (iteration && step.if !== undefined && !truthy(render(step.if, local))) continue;
      const input = render(step.input ?? {}, local) as Record<string, unknown>;
      const schema = SCHEMAS[step.action];
      if (schema) {
        const result = validateJsonSchema(input, schema);
        if (!result.valid) {
          throw new Error(
            `step ${step.id}: invalid input: ${result.errors.map(e => e.stack).join('; ')}`,
          );
        }
      }
      const executed = step.action === 'fetch:template';
      if (executed) await runFetchTemplate(name, workspace, input);
      steps.push({ id: step.id, action: step.action, input, executed });
      output = executed ? {} : recordedOutput(step.action, input);
    }
    context = context.withValue(['steps', step.id], { output });
  }
  return { workspace, parameters, steps };
}

async function runFetchTemplate(name: string, workspace: string, input: Record<string, unknown>) {
  const ctx = createMockActionContext({
    input: input as never,
    workspacePath: workspace,
    templateInfo: {
      baseUrl: `file://${path.join(TEMPLATES_DIR, name, 'template.yaml')}`,
      entityRef: `template:default/${name}`,
    },
  });
  // The action fetches the skeleton into a temporary directory, which must not be the workspace.
  ctx.createTemporaryDirectory = async () => fs.mkdtempSync(path.join(os.tmpdir(), 'tpl-src-'));
  await fetchTemplate.handler(ctx as never);
}

/** Every file under `dir`, as sorted paths relative to it. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out.sort();
}
