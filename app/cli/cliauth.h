#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace tf {
class AuthSession;
class GoTrueClient;
class PostgrestClient;
class RealtimeClient;
class TokenStore;
}

namespace tf::cli {

// Password sign-in for every subcommand (--email, --password; or SUPABASE_EMAIL and
// SUPABASE_PASSWORD, which keep the password out of `ps` and shell history), as an alternative
// to --token. The session lives in memory only: nothing is written to the keychain or disk, and
// it refreshes itself (and the realtime connection's token) for as long as the command runs.
class CliAuth
{
public:
    CliAuth();
    ~CliAuth();

    static void addOptions(QCommandLineParser &parser);
    // --url may be given as ws(s)://; PostgREST and GoTrue want the http(s) form of it.
    static QUrl httpUrl(const QUrl &projectUrl);
    // `haveToken`: --token (or SUPABASE_ACCESS_TOKEN) was given; it and --email exclude each other.
    bool readOptions(const QCommandLineParser &parser, bool haveToken, QString *error);
    bool wantsSignIn() const { return !m_email.isEmpty(); }

    // Signs in; done(error, accessToken) with an empty error on success.
    void signIn(const QUrl &projectUrl, const QString &apiKey,
                const std::function<void(const QString &error, const QString &accessToken)> &done);

    // With a session: keeps `realtime`'s token fresh and answers its accessTokenRequired() with a
    // refresh. False (nothing connected) without a session.
    bool attach(RealtimeClient *realtime);
    // A PostgREST client that uses the session (refresh and replay on 401), or `fixedToken`.
    std::unique_ptr<PostgrestClient> makeRestClient(const QUrl &projectUrl, const QString &apiKey,
                                                    const QString &fixedToken);

private:
    QString m_email;
    QString m_password;
    std::unique_ptr<GoTrueClient> m_gotrue;
    std::unique_ptr<TokenStore> m_store;
    std::unique_ptr<AuthSession> m_session;
};

} // namespace tf::cli
