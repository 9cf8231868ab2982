#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>

namespace tf {

// Lets each key's records through in version order only, each version once: a record older than,
// or as old as, one already let through for its key is held back. Snapshots repeat rows the
// listener already heard about, and a live change can be older than the snapshot row next to it;
// listeners that act on transitions (the order desk) must never hear an order go backwards.
class NewestRecordGate
{
public:
    NewestRecordGate(const QString &keyField, const QString &versionField);

    // True when `record` is news: an unseen key, a newer version, or no readable version at all
    // (nothing can be said about its age). A record without its key is held back.
    bool admit(const QJsonObject &record);
    void clear() { m_versions.clear(); }
    qsizetype size() const { return m_versions.size(); }

private:
    QString m_keyField;
    QString m_versionField;
    QHash<QString, qint64> m_versions; // key -> newest version let through (µs since the epoch)
};

} // namespace tf
