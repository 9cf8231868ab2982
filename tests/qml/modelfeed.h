#pragma once

// `Feed` (import TradingFloor.Testing): lets the QtQuickTests drive the real C++ models the way
// the sync service does (upsert, removeRecord, reconcile, ticks, presence, local orders), which
// the models keep out of QML on purpose. Every model a test feeds can be put under
// QAbstractItemModelTester in Fatal mode with watch().

#include "keyedrowmodel.h"
#include "ordermodel.h"
#include "presencemodel.h"
#include "quotemodel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QVariant>

namespace tf::test {

class ModelFeed : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // Any broken model contract (bad ranges, data() out of step with signals) aborts the run.
    Q_INVOKABLE void watch(QAbstractItemModel *model)
    {
        if (model && !model->findChild<QAbstractItemModelTester *>(QString(), Qt::FindDirectChildrenOnly))
            new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::Fatal, model);
    }

    // INSERT/UPDATE of a table row (version = the record's updated_at, as the sync service does).
    Q_INVOKABLE bool upsert(tf::KeyedRowModel *model, const QVariantMap &record)
    {
        return model && model->upsert(QJsonObject::fromVariantMap(record));
    }
    // DELETE with Realtime's old_record (under RLS only the primary key).
    Q_INVOKABLE bool removeRecord(tf::KeyedRowModel *model, const QVariantMap &oldRecord)
    {
        return model && model->removeRecord(QJsonObject::fromVariantMap(oldRecord));
    }
    Q_INVOKABLE void reconcile(tf::KeyedRowModel *model, const QVariantList &rows)
    {
        if (model)
            model->reconcile(QJsonArray::fromVariantList(rows));
    }
    // A price-update broadcast payload {symbol, price, bid?, ask?, ts?}.
    Q_INVOKABLE bool tick(tf::QuoteModel *quotes, const QVariantMap &payload)
    {
        return quotes && quotes->applyTick(QJsonObject::fromVariantMap(payload));
    }
    // What the order queue does when it saves an order and as it delivers it.
    Q_INVOKABLE bool addPending(tf::OrderModel *orders, const QVariantMap &order)
    {
        return orders && orders->addPending(QJsonObject::fromVariantMap(order));
    }
    Q_INVOKABLE bool setDeliveryState(tf::OrderModel *orders, const QString &clientOrderId, int state,
                                      const QString &reason = QString())
    {
        return orders && orders->setDeliveryState(clientOrderId, tf::OrderModel::State(state), reason);
    }
    Q_INVOKABLE bool discardPending(tf::OrderModel *orders, const QString &clientOrderId)
    {
        return orders && orders->discardPending(clientOrderId);
    }
    // Presence as the realtime PresenceState hands it over.
    Q_INVOKABLE void setPresences(tf::PresenceModel *presence, const QVariantMap &state)
    {
        if (presence)
            presence->setPresences(QJsonObject::fromVariantMap(state));
    }
    Q_INVOKABLE void join(tf::PresenceModel *presence, const QString &key, const QVariantList &metas)
    {
        if (presence)
            presence->join(key, QJsonArray::fromVariantList(metas));
    }
    Q_INVOKABLE void leave(tf::PresenceModel *presence, const QString &key, const QVariantList &metas)
    {
        if (presence)
            presence->leave(key, QJsonArray::fromVariantList(metas));
    }

    // An ISO timestamp `secondsAgo` before now (UTC, millisecond precision), for record versions.
    Q_INVOKABLE QString isoAgo(double secondsAgo) const
    {
        return QDateTime::currentDateTimeUtc().addMSecs(qint64(-secondsAgo * 1000)).toString(Qt::ISODateWithMs);
    }
    // Where the layout screenshot goes (TF_QML_SCREENSHOT_DIR); empty = no screenshot.
    Q_INVOKABLE QString screenshotDir() const { return qEnvironmentVariable("TF_QML_SCREENSHOT_DIR"); }
};

} // namespace tf::test
