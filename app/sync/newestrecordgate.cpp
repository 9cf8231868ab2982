#include "newestrecordgate.h"

#include "recordreader.h"
#include "rowversion.h"

namespace tf {

NewestRecordGate::NewestRecordGate(const QString &keyField, const QString &versionField)
    : m_keyField(keyField)
    , m_versionField(versionField)
{
}

bool NewestRecordGate::admit(const QJsonObject &record)
{
    const QString key = RecordReader::idText(record.value(m_keyField));
    if (key.isEmpty())
        return false;
    qint64 micros = 0;
    const QJsonValue versionValue = record.value(m_versionField);
    if (!versionValue.isString() || !parseTimestamp(versionValue.toString(), &micros).isValid())
        return true;
    auto it = m_versions.find(key);
    if (it == m_versions.end()) {
        m_versions.insert(key, micros);
        return true;
    }
    if (micros <= it.value())
        return false;
    it.value() = micros;
    return true;
}

} // namespace tf
