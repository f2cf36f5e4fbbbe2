//! The families on test trees (see [`super::testutil`]): the facts each
//! one emits, rendered one per line with positions.

use std::path::Path;

use super::testutil::yaml;
use crate::provider::Providers;
use crate::source::Source;
use crate::walk::{FileClass, FileKind};

fn class(kind: FileKind, template: bool) -> FileClass {
    FileClass {
        kind,
        template,
        committed: true,
        test: false,
        context: Default::default(),
    }
}

/// The facts of a test tree read as a file of `kind` at `path`, rendered.
fn render_as(path: &str, kind: FileKind, template: bool, text: &str) -> String {
    let f = super::extract(
        Path::new(path),
        &class(kind, template),
        text,
        &yaml(text),
        Providers::builtin(),
    );
    f.render(&Source::new(text.to_string()), Providers::builtin())
}

fn render(path: &str, text: &str) -> String {
    render_as(path, FileKind::Yaml, false, text)
}

/// Compare line by line, so a failure shows which fact changed.
#[track_caller]
fn same(got: &str, want: &str) {
    let want = want
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let got = got.lines().collect::<Vec<_>>().join("\n");
    assert!(
        got == want,
        "facts differ:\n--- got\n{got}\n--- want\n{want}"
    );
}

#[test]
fn compose_environment_forms() {
    let text = "\
services:
  api:
    image: app:${TAG:-latest}
    env_file:
      - .env
    environment:
      OPENAI_API_KEY: \"\"
      OPENAI_ORG_ID:
      OPENAI_PROJECT_ID: ${OPENAI_PROJECT_ID}
      ANTHROPIC_API_KEY: ${CLAUDE_KEY:-}
      DEBUG: \"1\"
  worker:
    env_file:
      - path: ./worker.env
        required: false
    environment:
      - OPENAI_API_KEY=sk-proj-abc
      - OPENAI_ORGANIZATION
      - OPENAI_BASE_URL=http://proxy:${PORT}/v1
      - PASSWORD=pa$$word
secrets:
  openai:
    environment: OPENAI_API_KEY
";
    same(
        &render("docker-compose.yml", text),
        r#"
        scope 1 ComposeService "api" @2:3-11:16 env_files [".env"]
        scope 2 ComposeService "worker" @12:3-20:26 env_files ["./worker.env"]
        definition OPENAI_API_KEY = empty @7:24-7:24 scope 1 from Compose
        definition ANTHROPIC_API_KEY = reference "${CLAUDE_KEY:-}" -> CLAUDE_KEY @10:26-10:41 scope 1 from Compose
        definition DEBUG = literal "1" @11:15-11:16 scope 1 from Compose
        definition OPENAI_API_KEY = literal "…" @17:24-17:35 scope 2 from Compose
        definition OPENAI_BASE_URL = literal "http://proxy:${PORT}/v1" @19:25-19:48 scope 2 from Compose
        definition PASSWORD = literal "pa$word" @20:18-20:26 scope 2 from Compose
        read OPENAI_ORG_ID Passthrough @8:7-8:20 scope 1
        read OPENAI_PROJECT_ID Passthrough @9:26-9:46 scope 1
        read CLAUDE_KEY Config @10:26-10:41 scope 1 default empty
        read TAG Config @3:16-3:30 scope 1 default literal "…"
        read OPENAI_ORGANIZATION Passthrough @18:9-18:28 scope 2
        read PORT Config @19:38-19:45 scope 2
        read OPENAI_API_KEY Config @23:18-23:32 scope 0
        setting openai.key OPENAI_API_KEY = empty @7:24-7:24 scope 1
        setting openai.org OPENAI_ORG_ID = reference "" -> OPENAI_ORG_ID @8:20-8:20 scope 1
        setting openai.project OPENAI_PROJECT_ID = reference "${OPENAI_PROJECT_ID}" -> OPENAI_PROJECT_ID @9:26-9:46 scope 1
        setting anthropic.key ANTHROPIC_API_KEY = reference "${CLAUDE_KEY:-}" -> CLAUDE_KEY @10:26-10:41 scope 1
        setting openai.key OPENAI_API_KEY = literal "…" @17:24-17:35 scope 2
        setting openai.org OPENAI_ORGANIZATION = reference "" -> OPENAI_ORGANIZATION @18:28-18:28 scope 2
        setting openai.base_url OPENAI_BASE_URL = literal "http://proxy:${PORT}/v1" @19:25-19:48 scope 2
        "#,
    );
}

#[test]
fn aider_conf() {
    let text = r#"openai-api-key: sk-xxxx
anthropic-api-key: ""
openai-organization-id: Personal
set-env:
  - OPENAI_ORGANIZATION=org-abc
  - DEBUG=1
api-key:
  - gemini=AIza-short
model: gpt-4o
"#;
    same(
        &render_as(".aider.conf.yml", FileKind::Yaml, false, text),
        r#"
        definition OPENAI_ORGANIZATION = literal "org-abc" @5:25-5:32 scope 0 from Config
        definition DEBUG = literal "1" @6:11-6:12 scope 0 from Config
        definition GEMINI_API_KEY = literal "…" @8:12-8:22 scope 0 from Config
        setting openai.org OPENAI_ORGANIZATION = literal "org-abc" @5:25-5:32 scope 0
        setting gemini.key GEMINI_API_KEY = literal "…" @8:12-8:22 scope 0
        setting openai.key openai-api-key = literal "…" @1:17-1:24 scope 0
        setting anthropic.key anthropic-api-key = empty @2:21-2:21 scope 0
        setting openai.org openai-organization-id = literal "Personal" @3:25-3:33 scope 0
        "#,
    );
}

#[test]
fn codex_model_providers() {
    let text = r#"model_provider: azure
model_providers:
  azure:
    name: Azure
    base_url: https://x.openai.azure.com/openai
    env_key: AZURE_OPENAI_API_KEY
  proxy:
    base_url: https://api.openai.com/v1
    env_key: MY_PROXY_KEY
    env_http_headers:
      OpenAI-Organization: OPENAI_ORGANIZATION
    http_headers:
      OpenAI-Project: proj_abc
  local:
    base_url: http://localhost:1234/v1
    env_key: LOCAL_KEY
shell_environment_policy:
  set:
    OPENAI_API_KEY: sk-xxxx
"#;
    same(
        &render_as(".codex/config.toml", FileKind::Toml, false, text),
        r#"
        scope 1 Section "model_providers.azure" @3:3-6:34
        scope 2 Section "model_providers.proxy" @7:3-13:31
        scope 3 Section "model_providers.local" @14:3-16:23
        definition OPENAI_API_KEY = literal "…" @19:21-19:28 scope 0 from Config
        read AZURE_OPENAI_API_KEY Config @6:14-6:34 scope 1
        read MY_PROXY_KEY Config @9:14-9:26 scope 2
        read OPENAI_ORGANIZATION Config @11:28-11:47 scope 2
        read LOCAL_KEY Config @16:14-16:23 scope 3
        setting azure-openai.key env_key = reference "AZURE_OPENAI_API_KEY" -> AZURE_OPENAI_API_KEY @6:14-6:34 scope 1
        setting azure-openai.base_url base_url = literal "https://x.openai.azure.com/openai" @5:15-5:48 scope 1
        setting openai.key env_key = reference "MY_PROXY_KEY" -> MY_PROXY_KEY @9:14-9:26 scope 2
        setting openai.org env_http_headers.OpenAI-Organization = reference "OPENAI_ORGANIZATION" -> OPENAI_ORGANIZATION @11:28-11:47 scope 2
        setting openai.base_url base_url = literal "https://api.openai.com/v1" @8:15-8:40 scope 2
        setting openai.project http_headers.OpenAI-Project = literal "proj_abc" @13:23-13:31 scope 2
        setting openai.key OPENAI_API_KEY = literal "…" @19:21-19:28 scope 0
        "#,
    );
}

#[test]
fn continue_models() {
    let text = r#"name: Local
version: 0.0.1
models:
  - name: GPT-4o
    provider: openai
    model: gpt-4o
    apiKey: ${{ secrets.OPENAI_API_KEY }}
    requestOptions:
      headers:
        OpenAI-Organization: org-abc
  - name: Ollama
    provider: ollama
    apiKey: whatever
  - title: Claude
    provider: anthropic
    apiKey: ""
"#;
    same(
        &render_as(".continue/config.yaml", FileKind::Yaml, false, text),
        r#"
        scope 1 Section "GPT-4o" @4:5-10:37
        scope 2 Section "Ollama" @11:5-13:21
        scope 3 Section "Claude" @14:5-16:14
        setting openai.key apiKey = reference "${{ secrets.OPENAI_API_KEY }}" -> OPENAI_API_KEY @7:13-7:42 scope 1
        setting openai.org requestOptions.headers.OpenAI-Organization = literal "org-abc" @10:30-10:37 scope 1
        setting anthropic.key apiKey = empty @16:14-16:14 scope 3
        "#,
    );
}

#[test]
fn dotnet_appsettings() {
    let text = r#"OpenAI:
  ApiKey: ""
  OrganizationId: org-abc
Clients:
  ResponsesClient:
    Credential:
      Key: sk-proj-abc
    Options:
      ProjectId: proj-abc
      Endpoint: https://api.openai.com/v1
  Other:
    Credential:
      Key: ""
Logging:
  LogLevel: Debug
"#;
    same(
        &render_as(
            "appsettings.Development.json",
            FileKind::Json { comments: false },
            false,
            text,
        ),
        r#"
        scope 1 Section "Clients:ResponsesClient" @5:3-10:42
        scope 2 Section "Clients:Other" @11:3-13:13
        setting openai.key Clients:ResponsesClient:Credential:Key = literal "…" @7:12-7:23 scope 1
        setting openai.project Clients:ResponsesClient:Options:ProjectId = literal "proj-abc" @9:18-9:26 scope 1
        setting openai.base_url Clients:ResponsesClient:Options:Endpoint = literal "https://api.openai.com/v1" @10:17-10:42 scope 1
        setting openai.key Clients:Other:Credential:Key = empty @13:13-13:13 scope 2
        setting openai.key OpenAI:ApiKey = empty @2:12-2:12 scope 0
        setting openai.org OpenAI:OrganizationId = literal "org-abc" @3:19-3:26 scope 0
        "#,
    );
}

#[test]
fn generic_strict_walk() {
    let text = r#"openai:
  api_key: sk-abc
  organization: Personal
  project: "My project"
  max_tokens: 100
  secret:
    name: x
    key: OPENAI_API_KEY
metadata:
  organization: Acme Corp
  project_id: my-gcp-project
billing:
  organization: org-billing01
OPENAI_API_KEY: ${OPENAI_API_KEY}
env:
  OPENAI_ORG_ID: org-abc
  log_level: debug
labels:
  apiKey: API Key
---
openai:
  api_key: sk-second
"#;
    same(
        &render_as("config/settings.yaml", FileKind::Yaml, false, text),
        r#"
        scope 1 Section "document 1" @1:1-19:18
        scope 2 Section "document 2" @21:1-22:21
        definition OPENAI_ORG_ID = literal "org-abc" @16:18-16:25 scope 1 from Config
        setting openai.key openai.api_key = literal "…" @2:12-2:18 scope 1
        setting openai.org openai.organization = literal "Personal" @3:17-3:25 scope 1
        setting openai.org billing.organization = literal "org-billing01" @13:17-13:30 scope 1
        setting openai.key OPENAI_API_KEY = reference "${OPENAI_API_KEY}" -> OPENAI_API_KEY @14:17-14:34 scope 1
        setting openai.org env.OPENAI_ORG_ID = literal "org-abc" @16:18-16:25 scope 1
        setting openai.key openai.api_key = literal "…" @22:12-22:21 scope 2
        "#,
    );
}

#[test]
fn helm_values_template() {
    let text = r#"openai:
  apiKey: ""
  organization: ""
  existingSecret: ""
extraEnv:
  - name: OPENAI_API_KEY
    value: ""
  - name: OPENAI_ORG_ID
    valueFrom:
      secretKeyRef:
        name: openai
        key: org
"#;
    same(
        &render_as("charts/app/values.yaml", FileKind::Yaml, true, text),
        r#"
        definition OPENAI_API_KEY = empty @7:13-7:13 scope 0 from Config
        definition OPENAI_ORG_ID = reference "valueFrom.secretKeyRef openai/org" -> ? @10:7-12:17 scope 0 from Config
        setting openai.key openai.apiKey = empty @2:12-2:12 scope 0
        setting openai.org openai.organization = empty @3:18-3:18 scope 0
        setting openai.key OPENAI_API_KEY = empty @7:13-7:13 scope 0
        setting openai.org OPENAI_ORG_ID = reference "valueFrom.secretKeyRef openai/org" -> ? @10:7-12:17 scope 0
        "#,
    );
}

#[test]
fn i18n_labels_are_not_settings() {
    let text = r#"openai:
  apiKey: API Key
  organization: Organization
  key: Enter your key
"#;
    same(
        &render_as("web/locales/en/settings.yaml", FileKind::Yaml, false, text),
        r#"

        "#,
    );
}

#[test]
fn kubernetes_workloads_secrets_and_custom_resources() {
    let text = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          env:
            - name: OPENAI_API_KEY
      containers:
        - name: app
          image: app
          env:
            - name: OPENAI_API_KEY
              valueFrom:
                secretKeyRef:
                  name: openai
                  key: api-key
            - name: OPENAI_ORG_ID
              value: "org-abc"
            - name: OPENAI_PROJECT_ID
              value: ""
            - name: OPENAI_BASE_URL
              value: $(PROXY)/v1
            - name: OPENAI_ORG_ID
              value: $(ORG)
---
apiVersion: v1
kind: Secret
metadata:
  name: openai
stringData:
  OPENAI_ORG_ID: org-xyz
  api-key: sk-proj-plain
data:
  OPENAI_API_KEY: c2stcHJvai1hYmMK
  organization: b3JnLWFiYw==
  bad: "!!notbase64"
---
apiVersion: example.com/v1
kind: Bot
metadata:
  name: helper
spec:
  openai:
    apiKey: "sk-in-crd"
    model: gpt-4o
"#;
    same(
        &render_as("k8s/deploy.yaml", FileKind::Yaml, false, text),
        r#"
        scope 1 Section "Deployment/api" @1:1-28:28
        scope 2 KubernetesContainer "migrate" @9:11-11:35 parent 1
        scope 3 KubernetesContainer "app" @13:11-28:28 parent 1
        scope 4 Section "Secret/openai" @30:1-40:20
        scope 5 Section "Bot/helper" @42:1-49:18
        definition OPENAI_API_KEY = empty @11:35-11:35 scope 2 from Kubernetes
        definition OPENAI_API_KEY = reference "valueFrom.secretKeyRef openai/api-key" -> ? @18:17-20:31 scope 3 from Kubernetes
        definition OPENAI_ORG_ID = literal "org-abc" @22:23-22:30 scope 3 from Kubernetes
        definition OPENAI_PROJECT_ID = empty @24:23-24:23 scope 3 from Kubernetes
        definition OPENAI_BASE_URL = literal "$(PROXY)/v1" @26:22-26:33 scope 3 from Kubernetes
        definition OPENAI_ORG_ID = reference "$(ORG)" -> ORG @28:22-28:28 scope 3 from Kubernetes
        definition OPENAI_ORG_ID = literal "org-xyz" @35:18-35:25 scope 4 from Kubernetes
        definition OPENAI_API_KEY = literal "sk-…abc\n" @38:19-38:35 scope 4 from Kubernetes
        definition organization = literal "org-abc" @39:17-39:29 scope 4 from Kubernetes
        definition bad = literal "!!notbase64" @40:9-40:20 scope 4 from Kubernetes
        setting openai.key OPENAI_API_KEY = empty @11:35-11:35 scope 2
        setting openai.key OPENAI_API_KEY = reference "valueFrom.secretKeyRef openai/api-key" -> ? @18:17-20:31 scope 3
        setting openai.org OPENAI_ORG_ID = literal "org-abc" @22:23-22:30 scope 3
        setting openai.project OPENAI_PROJECT_ID = empty @24:23-24:23 scope 3
        setting openai.base_url OPENAI_BASE_URL = literal "$(PROXY)/v1" @26:22-26:33 scope 3
        setting openai.org OPENAI_ORG_ID = reference "$(ORG)" -> ORG @28:22-28:28 scope 3
        setting openai.org OPENAI_ORG_ID = literal "org-xyz" @35:18-35:25 scope 4
        setting openai.key api-key = literal "sk-…lain" @36:12-36:25 scope 4
        setting openai.key OPENAI_API_KEY = literal "sk-…abc\n" @38:19-38:35 scope 4
        setting openai.org organization = literal "org-abc" @39:17-39:29 scope 4
        setting openai.key spec.openai.apiKey = literal "…" @48:14-48:23 scope 5
        "#,
    );
}

#[test]
fn librechat_endpoints() {
    let text = r#"version: 1.2.1
endpoints:
  custom:
    - name: groq
      apiKey: "${GROQ_API_KEY}"
      baseURL: https://api.groq.com/openai/v1/
    - name: Mistral
      apiKey: user_provided
    - name: Proxy
      apiKey: sk-1234
      baseURL: https://api.openai.com/v1
  azureOpenAI:
    groups:
      - group: east
        apiKey: ${AZURE_API_KEY}
        instanceName: east
  openAI:
    apiKey: your-api-key
"#;
    same(
        &render_as("librechat.yaml", FileKind::Yaml, false, text),
        r#"
        scope 1 Section "endpoints.groq" @4:7-6:47
        scope 2 Section "endpoints.Mistral" @7:7-8:28
        scope 3 Section "endpoints.Proxy" @9:7-11:41
        scope 4 Section "endpoints.azureOpenAI" @12:3-16:27
        scope 5 Section "endpoints.azureOpenAI.east" @14:9-16:27 parent 4
        scope 6 Section "endpoints.openAI" @17:3-18:25
        read GROQ_API_KEY Config @5:16-5:31 scope 1
        read AZURE_API_KEY Config @15:17-15:33 scope 5
        setting groq.key apiKey = reference "${GROQ_API_KEY}" -> GROQ_API_KEY @5:16-5:31 scope 1
        setting groq.base_url baseURL = literal "https://api.groq.com/openai/v1/" @6:16-6:47 scope 1
        setting mistral.key apiKey = reference "user_provided" -> ? @8:15-8:28 scope 2
        setting openai.key apiKey = literal "…" @10:15-10:22 scope 3
        setting openai.base_url baseURL = literal "https://api.openai.com/v1" @11:16-11:41 scope 3
        setting azure-openai.key apiKey = reference "${AZURE_API_KEY}" -> AZURE_API_KEY @15:17-15:33 scope 5
        setting openai.key apiKey = literal "you…-key" @18:13-18:25 scope 6
        "#,
    );
}

#[test]
fn litellm_model_list() {
    let text = r#"model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      organization: org-abc
  - model_name: azure-gpt
    litellm_params:
      model: azure/my-deployment
      api_base: https://x.openai.azure.com
      api_key: ""
  - model_name: claude
    litellm_params:
      model: claude-3-5-sonnet
      api_key: os.environ/ANTHROPIC_API_KEY
  - model_name: local
    litellm_params:
      model: openai/llama3
      api_base: http://localhost:11434/v1
      api_key: none
general_settings:
  master_key: sk-1234
environment_variables:
  OPENAI_ORGANIZATION: org-def
"#;
    same(
        &render_as("litellm/config.yaml", FileKind::Yaml, false, text),
        r#"
        scope 1 LiteLlmEntry "gpt-4o" @2:5-6:28
        scope 2 LiteLlmEntry "azure-gpt" @7:5-11:17
        scope 3 LiteLlmEntry "claude" @12:5-15:44
        scope 4 LiteLlmEntry "local" @16:5-20:20
        definition OPENAI_ORGANIZATION = literal "org-def" @24:24-24:31 scope 0 from Config
        read OPENAI_API_KEY Config @5:16-5:41 scope 1
        read ANTHROPIC_API_KEY Config @15:16-15:44 scope 3
        setting openai.key litellm_params.api_key = reference "os.environ/OPENAI_API_KEY" -> OPENAI_API_KEY @5:16-5:41 scope 1
        setting openai.org litellm_params.organization = literal "org-abc" @6:21-6:28 scope 1
        setting azure-openai.base_url litellm_params.api_base = literal "https://x.openai.azure.com" @10:17-10:43 scope 2
        setting azure-openai.key litellm_params.api_key = empty @11:17-11:17 scope 2
        setting anthropic.key litellm_params.api_key = reference "os.environ/ANTHROPIC_API_KEY" -> ANTHROPIC_API_KEY @15:16-15:44 scope 3
        setting openai.base_url litellm_params.api_base = literal "http://localhost:11434/v1" @19:17-19:42 scope 4
        setting openai.key litellm_params.api_key = literal "…" @20:16-20:20 scope 4
        setting openai.org OPENAI_ORGANIZATION = literal "org-def" @24:24-24:31 scope 0
        "#,
    );
}

#[test]
fn spring_profiles() {
    let text = r#"spring:
  ai:
    openai:
      api-key: ${OPENAI_API_KEY:}
      organization-id: ${OPENAI_ORG:org-abc}
      project-id: proj_abc
    azure:
      openai:
        api-key: ""
        endpoint: https://x.openai.azure.com
---
spring.config.activate.on-profile: local
spring.ai.openai.base-url: http://localhost:8080
spring.ai.openai.api-key: sk-local
"#;
    same(
        &render_as(
            "src/main/resources/application.yml",
            FileKind::Yaml,
            false,
            text,
        ),
        r#"
        scope 1 Section "document 1" @1:1-10:45
        scope 2 Section "local" @12:1-14:35
        read OPENAI_API_KEY Config @4:16-4:34 scope 1 default empty
        read OPENAI_ORG Config @5:24-5:45 scope 1 default literal "…"
        setting openai.key spring.ai.openai.api-key = reference "${OPENAI_API_KEY:}" -> OPENAI_API_KEY @4:16-4:34 scope 1
        setting openai.org spring.ai.openai.organization-id = reference "${OPENAI_ORG:org-abc}" -> OPENAI_ORG @5:24-5:45 scope 1
        setting openai.project spring.ai.openai.project-id = literal "proj_abc" @6:19-6:27 scope 1
        setting azure-openai.key spring.ai.azure.openai.api-key = empty @9:19-9:19 scope 1
        setting azure-openai.base_url spring.ai.azure.openai.endpoint = literal "https://x.openai.azure.com" @10:19-10:45 scope 1
        setting openai.base_url spring.ai.openai.base-url = literal "http://localhost:8080" @13:28-13:49 scope 2
        setting openai.key spring.ai.openai.api-key = literal "…" @14:27-14:35 scope 2
        "#,
    );
}

#[test]
fn workflow_env_scopes_and_inputs() {
    let text = r#"name: ci
on: push
env:
  OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      OPENAI_ORG_ID: org-abc
      ANTHROPIC_API_KEY: ""
    container:
      image: python
      env:
        OPENAI_PROJECT_ID: ${{ vars.OPENAI_PROJECT_ID }}
    steps:
      - uses: actions/checkout@v4
      - name: Run
        env:
          OPENAI_API_KEY: ${{ secrets.OPENAI_KEY }}
          GROQ_API_KEY:
          OPENAI_BASE_URL: ${{ env.BASE }}
        run: pytest
      - id: review
        uses: anthropics/claude-code-action@beta
        with:
          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}
          api_key: sk-ant-xyz
          openai-api-key: sk-literal
"#;
    same(
        &render_as(".github/workflows/ci.yml", FileKind::Yaml, false, text),
        r#"
        scope 1 WorkflowJob "test" @6:3-28:37
        scope 2 WorkflowStep "steps[0]" @16:9-16:34 parent 1
        scope 3 WorkflowStep "Run" @17:9-22:20 parent 1
        scope 4 WorkflowStep "review" @23:9-28:37 parent 1
        definition OPENAI_API_KEY = reference "${{ secrets.OPENAI_API_KEY }}" -> OPENAI_API_KEY @4:19-4:48 scope 0 from Workflow
        definition OPENAI_ORG_ID = literal "org-abc" @9:22-9:29 scope 1 from Workflow
        definition ANTHROPIC_API_KEY = empty @10:27-10:27 scope 1 from Workflow
        definition OPENAI_PROJECT_ID = reference "${{ vars.OPENAI_PROJECT_ID }}" -> OPENAI_PROJECT_ID @14:28-14:57 scope 1 from Workflow
        definition OPENAI_API_KEY = reference "${{ secrets.OPENAI_KEY }}" -> OPENAI_KEY @19:27-19:52 scope 3 from Workflow
        definition GROQ_API_KEY = empty @20:24-20:24 scope 3 from Workflow
        definition OPENAI_BASE_URL = reference "${{ env.BASE }}" -> BASE @21:28-21:43 scope 3 from Workflow
        read BASE Config @21:28-21:43 scope 3
        setting openai.key OPENAI_API_KEY = reference "${{ secrets.OPENAI_API_KEY }}" -> OPENAI_API_KEY @4:19-4:48 scope 0
        setting openai.org OPENAI_ORG_ID = literal "org-abc" @9:22-9:29 scope 1
        setting anthropic.key ANTHROPIC_API_KEY = empty @10:27-10:27 scope 1
        setting openai.project OPENAI_PROJECT_ID = reference "${{ vars.OPENAI_PROJECT_ID }}" -> OPENAI_PROJECT_ID @14:28-14:57 scope 1
        setting openai.key OPENAI_API_KEY = reference "${{ secrets.OPENAI_KEY }}" -> OPENAI_KEY @19:27-19:52 scope 3
        setting groq.key GROQ_API_KEY = empty @20:24-20:24 scope 3
        setting openai.base_url OPENAI_BASE_URL = reference "${{ env.BASE }}" -> BASE @21:28-21:43 scope 3
        setting anthropic.key with.anthropic_api_key = reference "${{ secrets.ANTHROPIC_API_KEY }}" -> ANTHROPIC_API_KEY @26:30-26:62 scope 4
        setting anthropic.key with.api_key = literal "…" @27:20-27:30 scope 4
        setting openai.key with.openai-api-key = literal "…" @28:27-28:37 scope 4
        "#,
    );
}

#[test]
fn env_refs_say_how_each_family_reads_a_variable() {
    let k8s = "kind: Pod\napiVersion: v1\nspec:\n  containers:\n    - name: a\n      env:\n        - name: OPENAI_API_KEY\n          value: x\n";
    let secret = "kind: Secret\napiVersion: v1\nstringData:\n  OPENAI_API_KEY: x\n";
    let wf = "jobs:\n  a:\n    env:\n      OPENAI_API_KEY: x\n      OPENAI_ORG_ID: y\n";
    let cases: &[(&str, FileKind, &str, &[Option<&str>])] = &[
        (
            "compose.yaml",
            FileKind::Yaml,
            "services:\n  a:\n    environment:\n      OPENAI_API_KEY: x\n      OPENAI_ORGANIZATION: y\n",
            &[Some("${OPENAI_API_KEY}"), Some("${OPENAI_ORGANIZATION}")],
        ),
        (
            "k8s/pod.yaml",
            FileKind::Yaml,
            k8s,
            &[Some("valueFrom.secretKeyRef")],
        ),
        (
            "k8s/secret.yaml",
            FileKind::Yaml,
            secret,
            &[Some("kubectl create secret generic … --from-env-file=.env")],
        ),
        (
            ".github/workflows/ci.yml",
            FileKind::Yaml,
            wf,
            &[
                Some("${{ secrets.OPENAI_API_KEY }}"),
                Some("${{ vars.OPENAI_ORG_ID }}"),
            ],
        ),
        (
            "proxy.yaml",
            FileKind::Yaml,
            "model_list:\n  - model_name: m\n    litellm_params:\n      model: gpt-4o\n      api_key: x\n",
            &[Some("os.environ/OPENAI_API_KEY")],
        ),
        (
            "application.yml",
            FileKind::Yaml,
            "spring:\n  ai:\n    openai:\n      organization-id: x\n",
            &[Some("${OPENAI_ORG_ID}")],
        ),
        (
            "appsettings.json",
            FileKind::Json { comments: false },
            "OpenAI:\n  ApiKey: x\n",
            &[Some("dotnet user-secrets set \"OpenAI:ApiKey\" …")],
        ),
        (
            "config.toml",
            FileKind::Toml,
            "model_providers:\n  p:\n    base_url: https://api.openai.com/v1\n    http_headers:\n      OpenAI-Organization: x\n",
            &[
                None,
                Some("env_http_headers = { \"OpenAI-Organization\" = \"OPENAI_ORG_ID\" }"),
            ],
        ),
        (
            ".continue/config.yaml",
            FileKind::Yaml,
            "models:\n  - provider: openai\n    apiKey: x\n",
            &[Some("${{ secrets.OPENAI_API_KEY }}")],
        ),
        (
            "librechat.yaml",
            FileKind::Yaml,
            "endpoints:\n  openAI:\n    apiKey: x\n",
            &[Some("${OPENAI_API_KEY}")],
        ),
        (
            "settings.yaml",
            FileKind::Yaml,
            "openai:\n  api_key: x\n",
            &[None],
        ),
        (
            ".aider.conf.yml",
            FileKind::Yaml,
            "openai-api-key: x\n",
            &[None],
        ),
    ];
    for (path, kind, text, want) in cases {
        let f = super::extract(
            Path::new(path),
            &class(*kind, false),
            text,
            &yaml(text),
            Providers::builtin(),
        );
        let spelled: Vec<Option<String>> = f
            .settings
            .iter()
            .map(|s| s.env_ref.as_ref().map(ToString::to_string))
            .collect();
        let got: Vec<Option<&str>> = spelled.iter().map(Option::as_deref).collect();
        assert_eq!(&got, want, "{path}");
    }
}

#[test]
fn multi_document_and_crlf_spans_point_at_the_value() {
    let text = "kind: ConfigMap\r\napiVersion: v1\r\ndata:\r\n  A: b\r\n---\r\n# second\r\nkind: Pod\r\napiVersion: v1\r\nspec:\r\n  containers:\r\n    - name: app\r\n      env:\r\n        - name: OPENAI_API_KEY\r\n          value: \"\"\r\n        - name: OPENAI_ORG_ID\r\n          value: org-x\r\n";
    let f = super::extract(
        Path::new("pod.yaml"),
        &class(FileKind::Yaml, false),
        text,
        &yaml(text),
        Providers::builtin(),
    );
    let s = Source::new(text.to_string());
    let at = |name: &str| {
        let v = &f
            .settings
            .iter()
            .find(|x| x.name == name)
            .expect(name)
            .value;
        let p = s.position(v.span.start);
        (p.line, p.column, s.slice(v.span).to_string())
    };
    assert_eq!(at("OPENAI_API_KEY"), (14, 19, String::new()));
    assert_eq!(at("OPENAI_ORG_ID"), (16, 18, "org-x".to_string()));
}

/// Mutated configs (deleted, duplicated and swapped characters, cut and
/// repeated slices) through the real parsers and every family: no panic,
/// every span inside the text on character boundaries.
#[test]
fn mutated_configs_never_panic_and_keep_spans_valid() {
    let seeds: &[(&str, FileKind, &str)] = &[
        (
            "compose.yaml",
            FileKind::Yaml,
            "services:\n  api:\n    env_file: [.env]\n    environment:\n      OPENAI_API_KEY: \"${KEY:-x}\"\n      - A=$$B\n",
        ),
        (
            "k8s.yaml",
            FileKind::Yaml,
            "kind: Secret\napiVersion: v1\ndata:\n  OPENAI_API_KEY: c2stYWJjCg==\n---\nkind: Pod\napiVersion: v1\nspec:\n  containers:\n    - name: a\n      env:\n        - name: OPENAI_ORG_ID\n          value: $(ORG)\n",
        ),
        (
            ".github/workflows/ci.yml",
            FileKind::Yaml,
            "jobs:\n  a:\n    env:\n      OPENAI_API_KEY: ${{ secrets.K }}\n    steps:\n      - with: {openai_api_key: x}\n",
        ),
        (
            "proxy.yaml",
            FileKind::Yaml,
            "model_list:\n  - model_name: m\n    litellm_params: {model: azure/x, api_key: os.environ/K}\n",
        ),
        (
            "config.toml",
            FileKind::Toml,
            "[model_providers.p]\nenv_key = \"K\"\nenv_http_headers = { \"OpenAI-Organization\" = \"O\" }\n",
        ),
        (
            "appsettings.json",
            FileKind::Json { comments: false },
            "{\"OpenAI\": {\"ApiKey\": \"x\"}, \"Clients\": {\"C\": {\"Credential\": {\"Key\": \"\"}}}}",
        ),
        (
            "application.properties",
            FileKind::Properties,
            "spring.ai.openai.api-key=${OPENAI_API_KEY:}\\\n  x\nk\\u00e9=v\n",
        ),
    ];
    let providers = Providers::builtin();
    for (path, kind, seed) in seeds {
        for text in crate::extract::config_tree::mutations(&[seed], 300) {
            let Some(file) = super::parse(*kind, &text) else {
                continue;
            };
            let facts = super::extract(
                Path::new(path),
                &class(*kind, false),
                &text,
                &file,
                providers,
            );
            check_spans(&facts, &text);
        }
    }
    let dockerfile = "# escape=`\nFROM x AS a\nARG K=1\nENV A=\"b c\" D='e' `\n  F=$G\nRUN <<EOF\nx\nEOF\nENV H i j\n";
    for text in crate::extract::config_tree::mutations(&[dockerfile], 500) {
        let d = super::dockerfile::extract(&text, providers);
        check_spans(&d.facts, &text);
        for c in &d.comments {
            assert!(text.get(c.start..c.end).is_some(), "{text:?}");
        }
    }
}

fn check_spans(facts: &crate::fact::FileFacts, text: &str) {
    let ok = |s: crate::source::Span| s.start <= s.end && text.get(s.start..s.end).is_some();
    for s in &facts.settings {
        assert!(
            ok(s.value.span) && ok(s.name_span) && ok(s.entry),
            "{text:?}"
        );
    }
    for d in &facts.definitions {
        assert!(
            ok(d.value.span) && ok(d.name_span) && ok(d.entry),
            "{text:?}"
        );
    }
    for r in &facts.reads {
        assert!(ok(r.span), "{text:?}");
        if let Some(d) = &r.default {
            assert!(ok(d.span), "{text:?}");
        }
    }
    for s in &facts.scopes {
        assert!(ok(s.span), "{text:?}");
    }
    for l in &facts.literals {
        assert!(ok(l.span), "{text:?}");
    }
}

#[test]
fn generic_maps_that_name_their_provider() {
    let text = r#"clients:
  - type: openai
    api_key: sk-xxxx
    organization_id: ""
  - type: claude
    api_key: ""
  - type: ollama
    api_key: whatever
secret:
  type: Opaque
  key: abc
"#;
    same(
        &render("aichat/config.yaml", text),
        r#"
        setting openai.key clients[0].api_key = literal "…" @3:14-3:21 scope 0
        setting openai.org clients[0].organization_id = empty @4:23-4:23 scope 0
        setting anthropic.key clients[1].api_key = empty @6:15-6:15 scope 0
        "#,
    );
}
