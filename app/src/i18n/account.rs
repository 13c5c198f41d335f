//! `account`: signing in and changing one's own password (`/login`, `/account/password`).

texts! {
    LoginTitle => "登录", "Sign in";
    LoginDescription => "登录医院智慧党建信息平台的管理端。", "Sign in to the management area of the hospital's smart Party-building platform.";
    LoginUsername => "账号", "Account name";
    LoginPassword => "密码", "Password";
    LoginSubmit => "登录", "Sign in";
    LoginMissing => "请输入账号和密码。", "Enter your account name and password.";
    LoginIntro => "使用党建平台账号登录。", "Sign in with your Party-building platform account.";
    PasswordTitle => "修改密码", "Change password";
    PasswordForced => "为保障账号安全，请先设置新密码（首次登录、管理员重置或密码已到期）。", "For your account's safety, set a new password first (first sign-in, reset by an administrator, or the password has expired).";
    PasswordRules => "至少 8 位，包含大写字母、小写字母、数字、符号中的至少 3 类，且不能与账号相同。修改后其他设备上的登录将被注销。", "At least 8 characters from at least 3 of: upper case, lower case, digits, symbols; not the account name. Other devices are signed out after the change.";
    PasswordCurrent => "当前密码", "Current password";
    PasswordNew => "新密码", "New password";
    PasswordConfirm => "确认新密码", "Confirm new password";
    PasswordSubmit => "保存新密码", "Save new password";
    PasswordMismatch => "两次输入的新密码不一致。", "The two new passwords do not match.";
    PasswordTooShort(n: usize) => "新密码至少需要 {n} 个字符。", "The new password needs at least {n} characters.";
    PasswordTooFewClasses(n: usize) => "新密码需包含大写字母、小写字母、数字、符号中的至少 {n} 类。", "The new password needs at least {n} of: upper case, lower case, digits, symbols.";
    PasswordSameAsUsername => "新密码不能与账号相同。", "The new password may not be the account name.";
    PasswordUnchanged => "新密码不能与当前密码相同。", "The new password must differ from the current one.";
    PasswordCurrentWrong => "当前密码不正确。", "The current password is wrong.";
}
