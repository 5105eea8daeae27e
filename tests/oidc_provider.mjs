// A real OpenID provider for the tests (the npm `oidc-provider` package), on 127.0.0.1 and a free
// port. Started and stopped by tests/oidc.py; prints "READY <issuer>" once it listens.
//
// The one argument is JSON: {"clients": [{client_id, client_secret, redirect_uris}],
// "accounts": {"<login>": {email, email_verified, name, amr?, acr?}}}. Its sign-in page asks for
// the login only (the accounts are made up); what an account asserts about the way it signed in
// (amr, acr) goes into its ID token, as an organisation's provider reports MFA.
import http from "node:http";
import Provider from "oidc-provider";

const config = JSON.parse(process.argv[2]);
const accounts = config.accounts;

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signInPage(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1>${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}">
<label for="login">Account</label> <input id="login" name="login" autocomplete="off">
<button type="submit">Continue</button></form></main></body></html>`;
}

async function readForm(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      ...client,
    })),
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: account.email, email_verified: account.email_verified, name: account.name };
        },
      };
    },
    // Like an organisation's provider, every ID token says how its person signed in.
    claims: { openid: ["sub", "acr", "amr", "auth_time"], email: ["email", "email_verified"], profile: ["name"] },
    acrValues: ["urn:test:password", "urn:test:mfa"],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // No consent screen: the organisation has approved Jigsaw for its staff.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    cookies: { keys: ["jigsaw-tests-only"] },
  });

  provider.use(async (ctx, next) => {
    const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (ctx.method === "GET") {
      ctx.type = "html";
      ctx.body = signInPage(details.uid);
      return;
    }
    const login = (await readForm(ctx.req)).get("login");
    const account = accounts[login];
    if (!account) {
      ctx.type = "html";
      ctx.body = signInPage(details.uid, "No such account.");
      return;
    }
    const result = { login: { accountId: login } };
    if (account.amr) result.login.amr = account.amr;
    if (account.acr) result.login.acr = account.acr;
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
  });

  server.on("request", provider.callback());
  process.stdout.write(`READY ${issuer}\n`);
});

process.on("SIGTERM", () => server.close(() => process.exit(0)));
// The tests hold this process's standard input open: if they die without stopping it, it stops.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
