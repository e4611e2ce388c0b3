/** Region tokens are issued as `lkr_…`; the environment's region token is known by /v1/me's answer. */
export const isRegionToken = (token: string, me: { region?: boolean } | null | undefined) => token.startsWith('lkr_') || me?.region === true;
