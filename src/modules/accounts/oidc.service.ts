import * as client from 'openid-client';
import type { AccountRepository, User } from '../../db/repositories/account.repository';
import { ForbiddenError, GoneError } from '../../web/errors';
import type { AccountsService, NewSession, RequestContext } from './accounts.service';
import type { OrganisationsService } from './organisations.service';
import { hashToken } from './tokens';

export interface OidcOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** The full callback URL registered with the provider. */
  redirectUri: string;
  /** Allow an http:// issuer (tests and local development only). */
  allowInsecure: boolean;
}

const STATE_TTL_MS = 10 * 60 * 1000;

/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE, state and nonce), for the Microsoft Entra or
 * Google Workspace accounts schools already use. A person is matched by issuer and subject, else by a verified email
 * (linking the accounts), else a new account is made; invitations to that email are accepted on the way in.
 */
export class OidcService {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(
    private readonly options: OidcOptions,
    private readonly accountsRepo: AccountRepository,
    private readonly accounts: AccountsService,
    private readonly organisations: OrganisationsService,
  ) {}

  private config(): Promise<client.Configuration> {
    if (!this.configuration) {
      this.configuration = client
        .discovery(new URL(this.options.issuer), this.options.clientId, this.options.clientSecret, undefined, this.options.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined)
        .catch((error: unknown) => {
          this.configuration = null; // try discovery again next time
          throw error;
        });
    }
    return this.configuration;
  }

  /** The provider's sign-in URL, with state, nonce and PKCE kept in the database for the return trip. */
  async start(returnTo: string | null): Promise<string> {
    const config = await this.config();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await this.accountsRepo.saveOidcState({ stateHash: hashToken(state), nonce, codeVerifier, returnTo, expiresAt: new Date(Date.now() + STATE_TTL_MS) });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return url.href;
  }

  /** Completes the round trip: checks state, nonce and PKCE, then signs the person in. */
  async finish(callbackUrl: URL, context: RequestContext): Promise<{ session: NewSession; returnTo: string | null }> {
    const state = callbackUrl.searchParams.get('state');
    const saved = state ? await this.accountsRepo.takeOidcState(hashToken(state), new Date()) : null;
    if (!saved || !state) throw new GoneError('That sign-in attempt has expired or was already used. Start again.');
    const config = await this.config();
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: saved.codeVerifier, expectedState: state, expectedNonce: saved.nonce });
    const claims = tokens.claims();
    if (!claims) throw new ForbiddenError('The sign-in service did not say who you are.');
    // Providers may keep email and name out of the ID token; then they come from the UserInfo endpoint.
    const profile: Record<string, unknown> =
      typeof claims.email === 'string' ? claims : { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)), iss: claims.iss };
    const email = typeof profile.email === 'string' ? profile.email : null;
    const verified = profile.email_verified === true || profile.email_verified === 'true';
    const name = typeof profile.name === 'string' && profile.name.trim() ? profile.name.trim().slice(0, 100) : (email?.split('@')[0] ?? 'Trellis user');

    let user: User | null = await this.accountsRepo.userByOidc(claims.iss, claims.sub);
    if (!user) {
      if (!email || !verified) throw new ForbiddenError('Your organisation account did not give a verified email address, so Trellis cannot sign you in with it.');
      user = await this.accountsRepo.userByEmail(email);
      if (user) await this.accountsRepo.linkOidc(user.id, claims.iss, claims.sub);
      else user = await this.accountsRepo.createUser({ email, displayName: name, passwordHash: null, emailVerified: true, oidcIssuer: claims.iss, oidcSubject: claims.sub });
      await this.accountsRepo.audit({ event: 'account.oidc-linked', actorUserId: user.id, ip: context.ip, detail: { issuer: claims.iss } });
    }
    await this.organisations.acceptAllFor(user.id, user.email, context);
    const session = await this.accounts.startSession(user, context, 'sign-in.success');
    return { session, returnTo: saved.returnTo };
  }
}
