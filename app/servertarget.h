#pragma once

#include <QString>
#include <QUrl>

namespace tf {

// Which Supabase project to sign in to, and as whom. The password is never part of it.
struct ServerTarget {
    QUrl url;        // https://<ref>.supabase.co, or the embedded simulator's loopback URL
    QString anonKey; // public by design
    QString email;
    bool demo = false; // the embedded simulator

    // Where we are, for the status line and support text: never the key.
    QString describe() const
    {
        return demo ? QStringLiteral("demo (embedded simulator at %1)").arg(url.toString())
                    : url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    }
};

} // namespace tf
