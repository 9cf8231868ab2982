// The Order value type: per-field validation messages, stable names, server status mapping, and
// the transition table checked pair by pair against the documented state machine.
#include "order.h"
#include "ordertransitions.h"

#include <QMap>
#include <QTest>

#include <cmath>
#include <limits>

using tf::Order;
using S = tf::Order::State;

class TestOrder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validMarketAndLimitOrders()
    {
        QVERIFY(Order::create(QStringLiteral("u1"), QStringLiteral("ACME"), Order::Side::Buy, 10).validate().isValid());
        QVERIFY(Order::create(QStringLiteral("u1"), QStringLiteral("ACME"), Order::Side::Sell, 0.5, Order::Type::Limit, 12.25)
                    .validate()
                    .isValid());
    }

    void createMakesUniqueIdsAndUtcTime()
    {
        const Order a = Order::create(QStringLiteral("u1"), QStringLiteral("ACME"), Order::Side::Buy, 1);
        const Order b = Order::create(QStringLiteral("u1"), QStringLiteral("ACME"), Order::Side::Buy, 1);
        QVERIFY(!a.clientOrderId.isNull());
        QVERIFY(a.clientOrderId != b.clientOrderId);
        QCOMPARE(a.createdAt.timeSpec(), Qt::UTC);
        QCOMPARE(a.state, S::Queued);
    }

    void validationNamesEachBadField_data()
    {
        QTest::addColumn<QString>("symbol");
        QTest::addColumn<double>("quantity");
        QTest::addColumn<int>("type");
        QTest::addColumn<double>("limit"); // NaN = no limit price
        QTest::addColumn<QStringList>("badFields");

        const double none = std::numeric_limits<double>::quiet_NaN();
        const int market = int(Order::Type::Market);
        const int limit = int(Order::Type::Limit);
        QTest::newRow("empty symbol") << QString() << 1.0 << market << none << QStringList{QStringLiteral("symbol")};
        QTest::newRow("blank symbol") << QStringLiteral("  ") << 1.0 << market << none << QStringList{QStringLiteral("symbol")};
        QTest::newRow("zero qty") << QStringLiteral("X") << 0.0 << market << none << QStringList{QStringLiteral("qty")};
        QTest::newRow("negative qty") << QStringLiteral("X") << -3.0 << market << none << QStringList{QStringLiteral("qty")};
        QTest::newRow("nan qty") << QStringLiteral("X") << none << market << none << QStringList{QStringLiteral("qty")};
        QTest::newRow("inf qty") << QStringLiteral("X") << std::numeric_limits<double>::infinity() << market << none
                                 << QStringList{QStringLiteral("qty")};
        QTest::newRow("limit without price") << QStringLiteral("X") << 1.0 << limit << none
                                             << QStringList{QStringLiteral("limitPrice")};
        QTest::newRow("limit with zero price") << QStringLiteral("X") << 1.0 << limit << 0.0
                                               << QStringList{QStringLiteral("limitPrice")};
        QTest::newRow("market with price") << QStringLiteral("X") << 1.0 << market << 5.0
                                           << QStringList{QStringLiteral("limitPrice")};
        QTest::newRow("everything wrong") << QString() << 0.0 << limit << -1.0
                                          << QStringList{QStringLiteral("symbol"), QStringLiteral("qty"),
                                                         QStringLiteral("limitPrice")};
    }

    void validationNamesEachBadField()
    {
        QFETCH(QString, symbol);
        QFETCH(double, quantity);
        QFETCH(int, type);
        QFETCH(double, limit);
        QFETCH(QStringList, badFields);

        Order order = Order::create(QStringLiteral("u1"), symbol, Order::Side::Buy, quantity, Order::Type(type));
        if (!std::isnan(limit))
            order.limitPrice = limit;
        const tf::OrderValidation validation = order.validate();
        QVERIFY(!validation.isValid());
        QStringList fields;
        for (const tf::FieldError &error : validation.errors) {
            fields << error.field;
            QVERIFY2(!error.message.isEmpty(), qPrintable(error.field));
            QCOMPARE(validation.messageFor(error.field), error.message);
        }
        QCOMPARE(fields, badFields);
        QVERIFY(validation.messageFor(QStringLiteral("side")).isEmpty());
        QVERIFY(validation.summary().contains(badFields.first()));
    }

    void missingUserAndIdAreRefused()
    {
        Order order = Order::create(QString(), QStringLiteral("ACME"), Order::Side::Buy, 1);
        order.clientOrderId = QUuid();
        const auto validation = order.validate();
        QVERIFY(!validation.messageFor(tf::OrderField::UserId).isEmpty());
        QVERIFY(!validation.messageFor(tf::OrderField::ClientOrderId).isEmpty());
    }

    void namesRoundTrip()
    {
        for (S state : tf::allOrderStates())
            QCOMPARE(tf::orderStateFromName(tf::orderStateName(state)), std::optional(state));
        QCOMPARE(tf::orderStateName(S::CancelRequested), QStringLiteral("cancel_requested"));
        QCOMPARE(tf::orderSideFromName(QStringLiteral("sell")), std::optional(Order::Side::Sell));
        QCOMPARE(tf::orderTypeFromName(QStringLiteral("limit")), std::optional(Order::Type::Limit));
        QVERIFY(!tf::orderStateFromName(QStringLiteral("Queued")));
        QVERIFY(!tf::orderSideFromName(QStringLiteral("hold")));
    }

    void serverStatuses()
    {
        QCOMPARE(tf::stateFromServerStatus(QStringLiteral("working")), std::optional(S::Accepted));
        QCOMPARE(tf::stateFromServerStatus(QStringLiteral("new")), std::optional(S::Accepted));
        QCOMPARE(tf::stateFromServerStatus(QStringLiteral("partially_filled")), std::optional(S::Accepted));
        QCOMPARE(tf::stateFromServerStatus(QStringLiteral("FILLED")), std::optional(S::Filled));
        QCOMPARE(tf::stateFromServerStatus(QStringLiteral("cancelled")), std::optional(S::Canceled));
        QCOMPARE(tf::stateFromServerStatus(QStringLiteral("rejected")), std::optional(S::Rejected));
        QCOMPARE(tf::stateFromServerStatus(QStringLiteral("pending_cancel")), std::optional(S::CancelRequested));
        QVERIFY(!tf::stateFromServerStatus(QStringLiteral("sending")));
        QVERIFY(!tf::stateFromServerStatus(QString()));
    }

    // The expected machine, written out independently of ordertransitions.cpp: every pair of
    // states is checked, so an added or dropped edge fails here.
    void transitionTable()
    {
        const QMap<S, QList<S>> expected{
            {S::Queued, {S::Sending, S::Canceled, S::CancelRequested, S::Accepted, S::Filled, S::Rejected}},
            {S::Sending, {S::Queued, S::Accepted, S::Rejected, S::Failed, S::CancelRequested, S::Filled, S::Canceled}},
            {S::Accepted, {S::CancelRequested, S::Filled, S::Canceled, S::Rejected}},
            {S::CancelRequested, {S::Canceled, S::Accepted, S::Filled, S::Rejected}},
            {S::Failed, {S::Queued, S::Canceled, S::CancelRequested, S::Accepted, S::Filled, S::Rejected}},
            {S::Filled, {}},
            {S::Canceled, {}},
            {S::Rejected, {}},
        };
        int allowed = 0;
        for (S from : tf::allOrderStates()) {
            for (S to : tf::allOrderStates()) {
                const bool want = expected.value(from).contains(to);
                QVERIFY2(tf::isTransitionAllowed(from, to) == want,
                         qPrintable(tf::orderStateName(from) + QStringLiteral(" -> ") + tf::orderStateName(to)));
                allowed += want ? 1 : 0;
            }
            QCOMPARE(tf::allowedNextStates(from).size(), expected.value(from).size());
            QCOMPARE(tf::isTerminalState(from), expected.value(from).isEmpty());
        }
        QCOMPARE(allowed, 27);
        QVERIFY(!tf::isTransitionAllowed(S::Queued, S::Queued));
    }
};

QTEST_GUILESS_MAIN(TestOrder)
#include "tst_order.moc"
