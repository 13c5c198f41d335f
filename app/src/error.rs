//! The one error type that server functions return.
//!
//! Internal detail (database messages, stack context) is logged on the server and never
//! serialised: the client only ever sees the variant and the safe fields it carries.

use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, T};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The record does not exist (or the caller may not know that it does).
    #[error("not found")]
    NotFound,
    /// Input failed validation; `field` names the input, `message` says why.
    #[error("invalid {field}: {message}")]
    Validation { field: String, message: String },
    /// Wrong account name or password, or the account is locked or disabled: one message
    /// for all, so the answer never reveals which accounts exist.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// The caller must sign in first.
    #[error("unauthenticated")]
    Unauthenticated,
    /// The caller may not do this (or may not see this record).
    #[error("forbidden")]
    Forbidden,
    /// The account must change its password before doing anything else.
    #[error("password change required")]
    PasswordChangeRequired,
    /// Too many failed sign-ins from this network address; try again later.
    #[error("too many attempts")]
    TooManyAttempts,
    /// Someone else changed the record first (two reviewers of one submission): the
    /// message says what happened; nothing was written.
    #[error("conflict: {message}")]
    Conflict { message: String },
    /// Something failed on the server; details are in the server log.
    #[error("internal error")]
    Internal,
    /// The request could not be decoded or delivered (framework-level failure).
    #[error("request failed: {0}")]
    Request(String),
}

impl AppError {
    /// The HTTP status this error stands for.
    pub fn status(&self) -> http::StatusCode {
        match self {
            AppError::NotFound => http::StatusCode::NOT_FOUND,
            AppError::Unauthenticated | AppError::InvalidCredentials => {
                http::StatusCode::UNAUTHORIZED
            }
            AppError::Forbidden | AppError::PasswordChangeRequired => http::StatusCode::FORBIDDEN,
            AppError::TooManyAttempts => http::StatusCode::TOO_MANY_REQUESTS,
            AppError::Conflict { .. } => http::StatusCode::CONFLICT,
            AppError::Validation { .. } | AppError::Request(_) => http::StatusCode::BAD_REQUEST,
            AppError::Internal => http::StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A message for people, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::NotFound => lang.t(T::ErrNotFound).to_string(),
            AppError::Unauthenticated => lang.t(T::ErrUnauthenticated).to_string(),
            AppError::InvalidCredentials => lang.t(T::ErrInvalidCredentials).to_string(),
            AppError::Forbidden => lang.t(T::ErrForbidden).to_string(),
            AppError::PasswordChangeRequired => lang.t(T::ErrPasswordChangeRequired).to_string(),
            AppError::TooManyAttempts => lang.t(T::ErrTooManyAttempts).to_string(),
            AppError::Validation { message, .. } | AppError::Conflict { message } => {
                message.clone()
            }
            AppError::Internal => lang.t(T::ErrInternal).to_string(),
            AppError::Request(_) => lang.t(T::ErrRequest).to_string(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = crate::api::wire::JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}
