#pragma once

// Small helpers shared by the order queue tests.

#include "order.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <atomic>

namespace tf::testing {

inline Order makeOrder(const QString &user, const QString &symbol = QStringLiteral("ACME"), double quantity = 1)
{
    return Order::create(user, symbol, Order::Side::Buy, quantity);
}

// A plain QSQLITE connection of the test's own, independent of OrderQueue: what it sees is what
// is in the file.
class RawDb
{
public:
    explicit RawDb(const QString &path)
    {
        static std::atomic<int> counter{0};
        m_name = QStringLiteral("test.raw.%1").arg(counter.fetch_add(1));
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        m_ok = db.open();
    }
    ~RawDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDb(const RawDb &) = delete;
    RawDb &operator=(const RawDb &) = delete;

    bool isOpen() const { return m_ok; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    // Runs a statement without parameters; returns the error text, empty on success.
    QString exec(const QString &sql) const
    {
        QSqlQuery q(db());
        return q.exec(sql) ? QString() : q.lastError().text();
    }
    // The first column of the first row of a statement with optional bound values.
    QVariant scalar(const QString &sql, const QVariantList &values = {}) const
    {
        QSqlQuery q(db());
        q.prepare(sql);
        for (const QVariant &value : values)
            q.addBindValue(value);
        if (!q.exec() || !q.next())
            return {};
        return q.value(0);
    }

private:
    QString m_name;
    bool m_ok = false;
};

// Permission bits a file carries (QFile::permissions() adds the current user's rights on top).
inline bool isOwnerOnly(const QString &path)
{
    const QFileDevice::Permissions bits = QFile::permissions(path)
        & (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup
           | QFileDevice::WriteGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
           | QFileDevice::ExeOther);
    return bits == (QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

} // namespace tf::testing
