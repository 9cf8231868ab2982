#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QVariant>

namespace tf {

// Reads typed fields out of one server record and remembers the first problem, so a model can
// reject the whole row: a half-read row must never reach a model. Absent and null fields read as
// an invalid QVariant (an error only when the field is required).
class RecordReader
{
public:
    enum Need { Optional, Required };

    explicit RecordReader(const QJsonObject &record) : m_record(record) { }

    // A JSON number, or a numeric string (Postgres `numeric` may travel as text). Always a double.
    QVariant number(QLatin1String field, Need need = Optional);
    // A JSON string. Empty strings count as absent for required fields.
    QVariant text(QLatin1String field, Need need = Optional);
    // An identifier: a string, or an integral number written without a fraction.
    QVariant id(QLatin1String field, Need need = Optional);
    // A timestamp string (see parseTimestamp()), as a UTC QDateTime.
    QVariant time(QLatin1String field, Need need = Optional);

    bool has(QLatin1String field) const;
    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    // Records a problem found by the caller (e.g. a value outside its allowed set).
    void fail(QLatin1String field, const QString &problem);

    // An identifier's text, or a null QString when the value is not usable as one.
    static QString idText(const QJsonValue &value);

private:
    QJsonValue fetch(QLatin1String field, Need need);
    void wrongType(QLatin1String field, const char *expected, const QJsonValue &got);

    const QJsonObject &m_record;
    QString m_error;
};

} // namespace tf
