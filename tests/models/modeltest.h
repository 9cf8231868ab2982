#pragma once

// Shared helpers for the models tests: every model a test creates goes under
// QAbstractItemModelTester in Fatal mode, and ModelLog records what the views were told.

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimeZone>

namespace tf::test {

// Any broken model contract (bad ranges, data() inconsistent with signals…) aborts the test.
inline void watch(QAbstractItemModel *model)
{
    new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::Fatal, model);
}

// Everything a view would have been told, in order.
class ModelLog
{
public:
    struct Range
    {
        int first;
        int last;
        bool operator==(const Range &) const = default;
    };
    struct Change
    {
        int first;
        int last;
        QList<int> roles;
        QStringList keys; // of the changed rows, read when the signal came
    };

    // `keyRole` names a row in changes[].keys; every Trading Floor model's first role is its key.
    explicit ModelLog(QAbstractItemModel *model, int keyRole = Qt::UserRole + 1)
    {
        QObject::connect(model, &QAbstractItemModel::dataChanged, &m_context,
                         [this, model, keyRole](const QModelIndex &tl, const QModelIndex &br,
                                                const QList<int> &roles) {
                             QStringList keys;
                             for (int r = tl.row(); r <= br.row(); ++r)
                                 keys.append(model->index(r, 0).data(keyRole).toString());
                             changes.append({tl.row(), br.row(), roles, keys});
                         });
        QObject::connect(model, &QAbstractItemModel::rowsInserted, &m_context,
                         [this](const QModelIndex &, int first, int last) { inserted.append({first, last}); });
        QObject::connect(model, &QAbstractItemModel::rowsRemoved, &m_context,
                         [this](const QModelIndex &, int first, int last) { removed.append({first, last}); });
        QObject::connect(model, &QAbstractItemModel::rowsMoved, &m_context, [this] { ++moves; });
        QObject::connect(model, &QAbstractItemModel::modelReset, &m_context, [this] { ++resets; });
        QObject::connect(model, &QAbstractItemModel::layoutChanged, &m_context, [this] { ++layouts; });
    }

    void clear()
    {
        changes.clear();
        inserted.clear();
        removed.clear();
        moves = resets = layouts = 0;
    }

    // Keys of the rows dataChanged named, in order, with duplicates if any.
    QStringList changedKeys() const
    {
        QStringList keys;
        for (const Change &c : changes)
            keys += c.keys;
        return keys;
    }

    QList<Change> changes;
    QList<Range> inserted;
    QList<Range> removed;
    int moves = 0;
    int resets = 0;
    int layouts = 0;

private:
    QObject m_context;
};

// The values of one role down the model, top to bottom.
inline QStringList column(const QAbstractItemModel &model, int role)
{
    QStringList values;
    for (int r = 0; r < model.rowCount(); ++r)
        values.append(model.index(r, 0).data(role).toString());
    return values;
}

// A fixed point in time plus `seconds`: versions and timestamps without the wall clock.
inline QDateTime at(int seconds)
{
    return QDateTime(QDate(2026, 8, 21), QTime(10, 0), QTimeZone::utc()).addSecs(seconds);
}

// The ISO text PostgREST would send for at(seconds).
inline QString stamp(int seconds)
{
    return at(seconds).toString(Qt::ISODateWithMs);
}

// So QCOMPARE can print ranges.
inline char *toString(const ModelLog::Range &range)
{
    const QByteArray text = QByteArray::number(range.first) + ".." + QByteArray::number(range.last);
    return qstrdup(text.constData());
}

} // namespace tf::test
