//! `fpt-assist oauth2 login`: the device authorization grant (RFC 8628). Prints the URL and
//! the code the administrator enters in a browser, waits for the sign-in, and saves the
//! refresh token (mode 0600) where [`super::TokenSource`] reads it. Neither token is printed
//! or logged.

use std::io::Write;
use std::path::{Path, PathBuf};

use ::oauth2::{DeviceAuthorizationUrl, Scope, StandardDeviceAuthorizationResponse, TokenResponse};

use super::{
    check_url, classify, http_client, record_status, save_refresh_token, token_client, Flow,
    GrantStatus, OAuthConfig, OAuthError,
};

/// Runs the device-code sign-in; returns the file the refresh token was saved to.
pub async fn login(
    config: &OAuthConfig,
    data_dir: &Path,
    out: &mut dyn Write,
) -> Result<PathBuf, OAuthError> {
    if config.flow != Flow::DeviceCode {
        return Err(OAuthError::Config(
            "`oauth2 login` is for flow = \"device_code\"; client_credentials needs no sign-in"
                .into(),
        ));
    }
    let device_url = config.device_code_url();
    check_url(&device_url).map_err(OAuthError::Config)?;
    let client = token_client(config)?.set_device_authorization_url(
        DeviceAuthorizationUrl::new(device_url.clone())
            .map_err(|e| OAuthError::Config(e.to_string()))?,
    );
    let http = http_client()?;
    let scopes = config.scopes.iter().map(|s| Scope::new(s.clone()));
    let details: StandardDeviceAuthorizationResponse = client
        .exchange_device_code()
        .add_scopes(scopes)
        .request_async(&http)
        .await
        .map_err(|e| classify(&device_url, config.flow, e))?;
    let write_err = |e: std::io::Error| OAuthError::File {
        path: PathBuf::from("<stdout>"),
        detail: e.to_string(),
    };
    writeln!(
        out,
        "To sign in, open {} in a browser and enter the code {} (valid for {} minutes).",
        details.verification_uri().as_str(),
        details.user_code().secret(),
        details.expires_in().as_secs() / 60
    )
    .map_err(write_err)?;
    out.flush().map_err(write_err)?;
    let token = client
        .exchange_device_access_token(&details)
        .request_async(&http, tokio::time::sleep, None)
        .await
        .map_err(|e| match e {
            ::oauth2::RequestTokenError::ServerResponse(r) => OAuthError::Refused {
                detail: r.to_string(),
                action: "run `fpt-assist oauth2 login` again and finish the sign-in in time".into(),
            },
            other => OAuthError::Unavailable {
                url: config.token_url(),
                detail: other.to_string(),
            },
        })?;
    let Some(refresh) = token.refresh_token() else {
        return Err(OAuthError::Config(
            "the sign-in worked but no refresh token was issued: add \"offline_access\" to \
             oauth2.scopes"
                .into(),
        ));
    };
    let file = config.token_file(data_dir);
    save_refresh_token(&file, refresh.secret())?;
    record_status(
        data_dir,
        &GrantStatus {
            state: "ok".into(),
            detail: String::new(),
            at: crate::store::now(),
        },
    );
    writeln!(
        out,
        "Signed in; refresh token saved to {} (mode 0600).",
        file.display()
    )
    .map_err(write_err)?;
    Ok(file)
}
