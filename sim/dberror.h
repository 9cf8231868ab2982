#pragma once

#include <QJsonObject>
#include <QString>

namespace tf::sim {

// A database or PostgREST error in PostgREST's body shape {"code","message","details","hint"}
// plus the HTTP status PostgREST answers it with.
struct DbError {
    int httpStatus = 400;
    QString code;    // SQLSTATE ("23505", "42501", ...) or PostgREST code ("PGRST100", ...)
    QString message;
    QString details; // null on the wire when empty
    QString hint;    // null on the wire when empty

    QJsonObject toJson() const
    {
        const auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s); };
        return QJsonObject{{QStringLiteral("code"), code},
                           {QStringLiteral("message"), message},
                           {QStringLiteral("details"), orNull(details)},
                           {QStringLiteral("hint"), orNull(hint)}};
    }
};

} // namespace tf::sim
