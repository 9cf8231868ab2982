// PostgrestClient + AuthSession against the in-process Supabase simulator (tf::sim): the same
// paths as the fake-server tests, but end to end through the simulator's PostgREST, GoTrue and
// row-level security.
#include "authsession.h"
#include "faultinjector.h"
#include "gotrueclient.h"
#include "memorysecretbackend.h"
#include "postgrestclient.h"
#include "simserver.h"
#include "tokenstore.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace tf;

namespace {

bool waitFinished(RestReply *reply)
{
    if (reply->isFinished())
        return true;
    QSignalSpy spy(reply, &RestReply::finished);
    return spy.wait(10000) && reply->isFinished();
}

QSet<QString> column(const QJsonArray &rows, const QString &name)
{
    QSet<QString> values;
    for (const QJsonValue &row : rows)
        values.insert(row.toObject().value(name).toVariant().toString());
    return values;
}

} // namespace

class TestRestSim : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<sim::SimServer> m_sim;
    std::unique_ptr<GoTrueClient> m_gotrue;
    MemorySecretBackend *m_keychain = nullptr;
    std::unique_ptr<TokenStore> m_store;
    std::unique_ptr<AuthSession> m_session;
    std::unique_ptr<PostgrestClient> m_rest;

    bool signIn()
    {
        QSignalSpy signedIn(m_session.get(), &AuthSession::signedIn);
        m_session->signInWithPassword(m_sim->demoTrader().email, m_sim->demoTrader().password);
        return signedIn.wait(10000);
    }

    QString firstSymbol()
    {
        std::unique_ptr<PostgrestReply> reply(m_rest->select(QStringLiteral("instruments"), PostgrestQuery().limit(1)));
        if (!waitFinished(reply.get()) || reply->rows().isEmpty())
            return {};
        return reply->rows().first().toObject().value(QLatin1String("symbol")).toString();
    }

    QJsonObject orderRow(const QString &symbol, const QUuid &clientOrderId) const
    {
        return {{QStringLiteral("client_order_id"), clientOrderId.toString(QUuid::WithoutBraces)},
                {QStringLiteral("user_id"), m_sim->demoTrader().userId},
                {QStringLiteral("symbol"), symbol},
                {QStringLiteral("side"), QStringLiteral("buy")},
                {QStringLiteral("qty"), 1},
                {QStringLiteral("type"), QStringLiteral("limit")},
                {QStringLiteral("limit_price"), 0.01}};
    }

private Q_SLOTS:
    void init()
    {
        sim::SimConfig config;
        config.simulatedTraders = 0;
        m_sim = std::make_unique<sim::SimServer>(config);
        QVERIFY(m_sim->start());
        m_gotrue = std::make_unique<GoTrueClient>(m_sim->url(), m_sim->anonKey());
        m_keychain = new MemorySecretBackend;
        m_store = std::make_unique<TokenStore>(QStringLiteral("TradingFloorTest"), m_keychain, nullptr);
        m_session = std::make_unique<AuthSession>(m_gotrue.get(), m_store.get());
        m_rest = std::make_unique<PostgrestClient>(m_sim->url(), m_sim->anonKey());
        m_rest->setTokenProvider(m_session.get());
    }

    void cleanup()
    {
        m_rest.reset();
        m_session.reset();
        m_store.reset();
        m_gotrue.reset();
        m_sim.reset();
    }

    void signInAsTheDemoTrader()
    {
        QVERIFY(signIn());
        QCOMPARE(m_session->userId(), m_sim->demoTrader().userId);
        QCOMPARE(m_session->email(), m_sim->demoTrader().email);
        QVERIFY(!m_session->accessToken().isEmpty());
        QVERIFY(m_session->expiresAt() > QDateTime::currentDateTimeUtc());
        QVERIFY(!m_keychain->isEmpty());
    }

    void wrongPasswordIsRefused()
    {
        QSignalSpy errors(m_session.get(), &AuthSession::sessionError);
        m_session->signInWithPassword(m_sim->demoTrader().email, QStringLiteral("not-the-password"));
        QVERIFY(errors.wait());
        const ClientError error = errors.first().first().value<ClientError>();
        QCOMPARE(error.errorClass, ErrorClass::Auth);
        QCOMPARE(error.code, QStringLiteral("invalid_credentials"));
        QCOMPARE(m_session->state(), AuthSession::State::SignedOut);
    }

    void selectsOwnPositionsOnly()
    {
        QVERIFY(m_sim->demoTraders().size() >= 2);
        const QString me = m_sim->demoTrader().userId;
        const QString other = m_sim->demoTraders().at(1).userId;
        QVERIFY(signIn());

        std::unique_ptr<PostgrestReply> mine(m_rest->select(
            QStringLiteral("positions"), PostgrestQuery().order(QStringLiteral("symbol"))));
        QVERIFY(waitFinished(mine.get()));
        QVERIFY2(mine->isOk(), qPrintable(mine->error().toString()));
        QVERIFY(!mine->rows().isEmpty());
        QCOMPARE(column(mine->rows(), QStringLiteral("user_id")), QSet<QString>{me});

        std::unique_ptr<PostgrestReply> theirs(
            m_rest->select(QStringLiteral("positions"), PostgrestQuery().eq(QStringLiteral("user_id"), other)));
        QVERIFY(waitFinished(theirs.get()));
        QVERIFY(theirs->isOk());
        QVERIFY(theirs->rows().isEmpty()); // RLS: invisible, not an error

        // The other trader's rows do exist (the service role sees them).
        PostgrestClient admin(m_sim->url(), m_sim->serviceRoleKey());
        admin.setAccessToken(m_sim->serviceRoleKey());
        std::unique_ptr<PostgrestReply> all(
            admin.select(QStringLiteral("positions"), PostgrestQuery().eq(QStringLiteral("user_id"), other)));
        QVERIFY(waitFinished(all.get()));
        QVERIFY2(all->isOk(), qPrintable(all->error().toString()));
        QVERIFY(!all->rows().isEmpty());
    }

    void catchUpQueryWithOffsetTimestamp()
    {
        QVERIFY(signIn());
        std::unique_ptr<PostgrestReply> all(m_rest->select(
            QStringLiteral("positions"), PostgrestQuery().order(QStringLiteral("updated_at")).order(QStringLiteral("id"))));
        QVERIFY(waitFinished(all.get()));
        QVERIFY(all->isOk() && !all->rows().isEmpty());
        // The oldest row's timestamp exactly as the server wrote it (microseconds kept), with an
        // explicit +00:00 offset: only %2B keeps the '+' from turning into a space.
        QString since = all->rows().first().toObject().value(QLatin1String("updated_at")).toString();
        QVERIFY(QDateTime::fromString(since, Qt::ISODateWithMs).isValid());
        if (since.endsWith(u'Z'))
            since = since.chopped(1) + QStringLiteral("+00:00");
        QVERIFY(since.contains(u'+'));
        std::unique_ptr<PostgrestReply> caughtUp(m_rest->select(
            QStringLiteral("positions"),
            PostgrestQuery().gte(QStringLiteral("updated_at"), since).order(QStringLiteral("updated_at")).order(QStringLiteral("id"))));
        QVERIFY(waitFinished(caughtUp.get()));
        QVERIFY2(caughtUp->isOk(), qPrintable(caughtUp->error().toString()));
        QCOMPARE(caughtUp->rows().size(), all->rows().size());
    }

    void idempotentInsertTwiceMakesOneRow()
    {
        QVERIFY(signIn());
        const QString symbol = firstSymbol();
        QVERIFY(!symbol.isEmpty());
        const QUuid clientOrderId = QUuid::createUuid();
        const QJsonObject order = orderRow(symbol, clientOrderId);

        std::unique_ptr<PostgrestReply> first(m_rest->insert(
            QStringLiteral("orders"), order, InsertOptions::idempotent(QStringLiteral("client_order_id"))));
        QVERIFY(waitFinished(first.get()));
        QVERIFY2(first->isOk(), qPrintable(first->error().toString()));
        QCOMPARE(first->rows().size(), 1);

        std::unique_ptr<PostgrestReply> again(m_rest->insert(
            QStringLiteral("orders"), order, InsertOptions::idempotent(QStringLiteral("client_order_id"))));
        QVERIFY(waitFinished(again.get()));
        QVERIFY2(again->isOk(), qPrintable(again->error().toString()));
        QCOMPARE(again->rows().size(), 0); // it existed: left out, and that is success

        std::unique_ptr<PostgrestReply> check(m_rest->select(
            QStringLiteral("orders"), PostgrestQuery().eq(QStringLiteral("client_order_id"), clientOrderId)));
        QVERIFY(waitFinished(check.get()));
        QCOMPARE(check->rows().size(), 1);

        // Without a resolution the duplicate is a 409 / 23505 Validation error.
        std::unique_ptr<PostgrestReply> plain(m_rest->insert(QStringLiteral("orders"), order));
        QVERIFY(waitFinished(plain.get()));
        QCOMPARE(plain->error().errorClass, ErrorClass::Validation);
        QCOMPARE(plain->error().httpStatus, 409);
        QCOMPARE(plain->error().code, QStringLiteral("23505"));
    }

    void insertForAnotherUserIsAPermissionRefusal()
    {
        QVERIFY(signIn());
        QSignalSpy tokens(m_session.get(), &AuthSession::accessTokenChanged);
        QJsonObject order = orderRow(firstSymbol(), QUuid::createUuid());
        order.insert(QStringLiteral("user_id"), m_sim->demoTraders().at(1).userId);
        std::unique_ptr<PostgrestReply> reply(m_rest->insert(QStringLiteral("orders"), order));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error().errorClass, ErrorClass::Auth);
        QCOMPARE(reply->error().code, QStringLiteral("42501"));
        QCOMPARE(reply->error().httpStatus, 403);
        QCOMPARE(reply->attempts(), 1); // not a token problem: no refresh, no replay
        QCOMPARE(tokens.size(), 0);
    }

    void expiredTokenIsRefreshedAndTheRequestRetried()
    {
        QVERIFY(signIn());
        m_sim->faults().expireAllTokens();
        QSignalSpy tokens(m_session.get(), &AuthSession::accessTokenChanged);
        std::unique_ptr<PostgrestReply> reply(m_rest->select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isOk(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->attempts(), 2);
        QVERIFY(!reply->rows().isEmpty());
        QCOMPARE(tokens.size(), 1); // the session refreshed once (within the same second the
                                    // simulator may mint a byte-identical JWT, so no string compare)
    }

    void rotatedTokenRestoresInANewProcess()
    {
        QVERIFY(signIn());
        QSignalSpy tokens(m_session.get(), &AuthSession::accessTokenChanged);
        m_session->refreshNow(QStringLiteral("test"));
        QVERIFY(tokens.wait());
        // A second process with the same storage signs in from the stored (rotated) token.
        GoTrueClient client(m_sim->url(), m_sim->anonKey());
        AuthSession restored(&client, m_store.get());
        QSignalSpy signedIn(&restored, &AuthSession::signedIn);
        restored.restoreSession(m_sim->demoTrader().email);
        QVERIFY(signedIn.wait());
        QCOMPARE(restored.userId(), m_sim->demoTrader().userId);
    }

    void signedOutSeesNothingPrivate()
    {
        QVERIFY(signIn());
        m_session->signOut();
        std::unique_ptr<PostgrestReply> reply(m_rest->select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(reply->isOk());
        QVERIFY(reply->rows().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_keychain->isEmpty(), 5000);
    }
};

QTEST_GUILESS_MAIN(TestRestSim)
#include "tst_rest_sim.moc"
